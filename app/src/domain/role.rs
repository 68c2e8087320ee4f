use serde::{Deserialize, Serialize};

/// What a signed-in person may do. Roles are fixed by the ward's organisation; the server checks
/// the permission of every server function and page, the UI only hides what would be refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything in the ward, including user management and the audit log.
    Admin,
    /// Election-day staff of a Tổ bầu cử, scoped to the polling areas they are assigned.
    Station,
    /// Organisers of deputy–voter meetings (Ủy ban MTTQ).
    Organizer,
    /// Read-only access to turnout tallies and results.
    Viewer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    ManageUsers,
    ReadAudit,
    ManageVoterLists,
    CheckInVoters,
    ViewTallies,
    ManageMeetings,
    /// Undo a check-in, allow voting outside the hours, set the hours: the election board's
    /// managers, never the desk staff themselves.
    ManageElectionDay,
    /// Make backups and see the backup folder: a copy of every voter's personal data.
    ManageBackups,
}

impl Permission {
    pub const ALL: [Permission; 8] = [
        Permission::ManageUsers,
        Permission::ReadAudit,
        Permission::ManageVoterLists,
        Permission::CheckInVoters,
        Permission::ViewTallies,
        Permission::ManageMeetings,
        Permission::ManageElectionDay,
        Permission::ManageBackups,
    ];
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Station, Role::Organizer, Role::Viewer];

    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Station => matches!(permission, CheckInVoters | ViewTallies),
            Role::Organizer => matches!(permission, ManageMeetings | ViewTallies),
            Role::Viewer => matches!(permission, ViewTallies),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Station => "station",
            Role::Organizer => "organizer",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn only_admin_manages_users_reads_the_audit_log_and_makes_backups() {
        for role in Role::ALL {
            let is_admin = role == Role::Admin;
            assert_eq!(role.can(Permission::ManageUsers), is_admin);
            assert_eq!(role.can(Permission::ReadAudit), is_admin);
            assert_eq!(role.can(Permission::ManageBackups), is_admin);
        }
    }

    #[test]
    fn every_role_sees_tallies_but_viewer_changes_nothing() {
        for role in Role::ALL {
            assert!(role.can(Permission::ViewTallies));
        }
        let viewer_writes = Permission::ALL
            .into_iter()
            .filter(|p| *p != Permission::ViewTallies && Role::Viewer.can(*p))
            .count();
        assert_eq!(viewer_writes, 0);
    }
}
