//! app/src/auth/api.rs: signing in and out, the first administrator, one's own password.

use super::{Client, Form, Reply};

impl Client {
    pub async fn auth_whoami(&self) -> Reply {
        self.send_form("auth/whoami", Form::new()).await
    }

    pub async fn auth_login(&self, username: &str, password: &str) -> Reply {
        let form = Form::new()
            .field("username", username)
            .field("password", password);
        self.send_form("auth/login", form).await
    }

    pub async fn auth_logout(&self) -> Reply {
        self.send_form("auth/logout", Form::new()).await
    }

    pub async fn auth_setup(
        &self,
        token: &str,
        username: &str,
        display_name: &str,
        password: &str,
        password_confirm: &str,
    ) -> Reply {
        let form = Form::new()
            .field("token", token)
            .field("username", username)
            .field("display_name", display_name)
            .field("password", password)
            .field("password_confirm", password_confirm);
        self.send_form("auth/setup", form).await
    }

    pub async fn auth_change_password(
        &self,
        current: &str,
        new_password: &str,
        confirm: &str,
    ) -> Reply {
        let form = Form::new()
            .field("current", current)
            .field("new_password", new_password)
            .field("confirm", confirm);
        self.send_form("auth/change-password", form).await
    }
}
