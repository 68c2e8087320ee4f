//! app/src/admin/api.rs: accounts, sign-in locks, the audit log, backups, the start page.

use super::{Client, Form, Reply};

impl Client {
    pub async fn admin_preparation(&self) -> Reply {
        self.send_form("admin/preparation", Form::new()).await
    }

    pub async fn admin_users_list(&self) -> Reply {
        self.send_form("admin/users/list", Form::new()).await
    }

    pub async fn admin_users_create(
        &self,
        username: &str,
        display_name: &str,
        role: &str,
        password: &str,
    ) -> Reply {
        let form = Form::new()
            .field("username", username)
            .field("display_name", display_name)
            .field("role", role)
            .field("password", password);
        self.send_form("admin/users/create", form).await
    }

    pub async fn admin_users_set_disabled(&self, user_id: i64, disabled: bool) -> Reply {
        let form = Form::new()
            .field("user_id", user_id)
            .field("disabled", disabled);
        self.send_form("admin/users/set-disabled", form).await
    }

    pub async fn admin_users_reset_password(&self, user_id: i64, new_password: &str) -> Reply {
        let form = Form::new()
            .field("user_id", user_id)
            .field("new_password", new_password);
        self.send_form("admin/users/reset-password", form).await
    }

    pub async fn admin_users_set_areas(&self, user_id: i64, area_ids: &[i64]) -> Reply {
        let form = Form::new()
            .field("user_id", user_id)
            .each("area_ids", area_ids);
        self.send_form("admin/users/set-areas", form).await
    }

    pub async fn admin_login_locks(&self) -> Reply {
        self.send_form("admin/login-locks", Form::new()).await
    }

    /// `client` None lifts the username-wide lock.
    pub async fn admin_unlock_login(&self, username: &str, client: Option<&str>) -> Reply {
        let form = Form::new()
            .field("username", username)
            .optional("client", client);
        self.send_form("admin/unlock-login", form).await
    }

    /// Empty `action` and `actor` do not filter.
    pub async fn admin_audit_list(
        &self,
        action: &str,
        actor: &str,
        before_seq: Option<i64>,
        entity: Option<&str>,
    ) -> Reply {
        let form = Form::new()
            .field("action", action)
            .field("actor", actor)
            .optional("before_seq", before_seq)
            .optional("entity", entity);
        self.send_form("admin/audit/list", form).await
    }

    pub async fn admin_backups_list(&self) -> Reply {
        self.send_form("admin/backups/list", Form::new()).await
    }

    pub async fn admin_backups_run(&self) -> Reply {
        self.send_form("admin/backups/run", Form::new()).await
    }
}
