//! User management and audit log pages.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    list_audit, list_backups, list_users, login_locks, CreateUser, ResetUserPassword, RunBackup,
    SetUserAreas, SetUserDisabled, UnlockLogin,
};
use super::model::{LoginLockRow, UserRow};
use crate::domain::backup::{BackupFile, BackupMade};
use crate::domain::format::{count, date_time, megabytes};
use crate::domain::ids::UserId;
use crate::domain::role::{Permission, Role};
use crate::i18n::audit_words::{action_words, entity_words};
use crate::i18n::{error_message, role_label, Msg};
use crate::ui::guard::RequirePermission;
use crate::ui::status_pages::ErrorPanel;
use crate::ui::widgets::{encode_query_value, t, use_locale, ChangeSummary, FormOutcome};

#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <RequirePermission permission=Permission::ManageUsers children=|user| {
            let me = user.id;
            view! { <UsersAdmin me/> }
        }/>
    }
}

/// `me`: the signed-in admin, whose own account is not offered for locking (the server
/// refuses it: nobody locks themselves out).
#[component]
fn UsersAdmin(me: UserId) -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let set_disabled = ServerAction::<SetUserDisabled>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let set_areas = ServerAction::<SetUserAreas>::new();
    let versions = move || {
        (
            create.version().get(),
            set_disabled.version().get(),
            reset.version().get(),
            set_areas.version().get(),
        )
    };
    let users = Resource::new(versions, |_| list_users());
    let areas = Resource::new(|| (), |_| crate::voters::api::overview(None));
    let role_options = Role::ALL
        .into_iter()
        .map(|role| view! { <option value=role.as_str() selected=role == Role::Station>{t(role_label(role))}</option> })
        .collect_view();
    view! {
        <h1>{t(Msg::UsersTitle)}</h1>
        <nav class="sub-nav">
            <a href="/admin/users" aria-current="page">{t(Msg::NavUsers)}</a>
            <a href="/admin/audit">{t(Msg::NavAudit)}</a>
            <a href="/admin/backups">{t(Msg::NavBackups)}</a>
        </nav>
        <section class="card">
            <h2>{t(Msg::CreateUser)}</h2>
            <ActionForm action=create attr:id="create-user-form" attr:class="grid-form">
                <label>
                    <span>{t(Msg::Username)}</span>
                    <input name="username" autocapitalize="none" autocomplete="off" required/>
                </label>
                <label>
                    <span>{t(Msg::DisplayName)}</span>
                    <input name="display_name" autocomplete="off" required/>
                </label>
                <label>
                    <span>{t(Msg::Role)}</span>
                    <select name="role">{role_options}</select>
                </label>
                <label>
                    <span>{t(Msg::Password)}</span>
                    <input name="password" type="password" autocomplete="new-password" minlength="10" required/>
                    <small>{t(Msg::PasswordHint)}</small>
                </label>
                <div class="form-actions">
                    <FormOutcome value=create.value() ok_text=Msg::UserCreated/>
                    <button type="submit" class="button primary">{t(Msg::CreateUser)}</button>
                </div>
            </ActionForm>
        </section>
        <FormOutcome value=set_disabled.value() ok_text=Msg::UserUpdated/>
        <FormOutcome value=reset.value() ok_text=Msg::UserUpdated/>
        <FormOutcome value=set_areas.value() ok_text=Msg::UserUpdated/>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || users.get().map(|result| match result {
                Ok(rows) => {
                    let areas = areas.get().and_then(Result::ok).map(|o| o.areas).unwrap_or_default();
                    view! { <UsersTable rows areas me set_disabled reset set_areas/> }.into_any()
                }
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
            })}
        </Transition>
        <LoginLocks/>
    }
}

/// The sign-in locks in force, each with its unlock button.
#[component]
fn LoginLocks() -> impl IntoView {
    let unlock = ServerAction::<UnlockLogin>::new();
    let locks = Resource::new(move || unlock.version().get(), |_| login_locks());
    view! {
        <section class="card" id="login-locks">
            <h2>{t(Msg::LoginLocksTitle)}</h2>
            <p class="hint">{t(Msg::LoginLocksIntro)}</p>
            <FormOutcome value=unlock.value() ok_text=Msg::Unlocked/>
            <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
                {move || locks.get().map(|result| match result {
                    Ok(rows) if rows.is_empty() => view! { <p>{t(Msg::LoginLocksNone)}</p> }.into_any(),
                    Ok(rows) => view! { <LoginLocksTable rows unlock/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn LoginLocksTable(rows: Vec<LoginLockRow>, unlock: ServerAction<UnlockLogin>) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|row| {
            let from = row.client.clone().unwrap_or_else(|| t(Msg::LockedEverywhere).to_string());
            view! {
                <tr>
                    <td>{row.username.clone()}</td>
                    <td>{from}</td>
                    <td class="num">{row.attempts}</td>
                    <td>{date_time(row.locked_until_ms)}</td>
                    <td class="row-actions">
                        <ActionForm action=unlock>
                            <input type="hidden" name="username" value=row.username.clone()/>
                            <input type="hidden" name="client" value=row.client.clone().unwrap_or_default()/>
                            <button type="submit" class="button secondary">{t(Msg::Unlock)}</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0">
            <table id="login-locks-table">
                <thead>
                    <tr>
                        <th>{t(Msg::Username)}</th>
                        <th>{t(Msg::LockedFrom)}</th>
                        <th>{t(Msg::LoginAttempts)}</th>
                        <th>{t(Msg::LockedUntil)}</th>
                        <th>{t(Msg::Actions)}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

#[component]
fn UsersTable(
    rows: Vec<UserRow>,
    areas: Vec<crate::domain::ward::AreaSummary>,
    me: UserId,
    set_disabled: ServerAction<SetUserDisabled>,
    reset: ServerAction<ResetUserPassword>,
    set_areas: ServerAction<SetUserAreas>,
) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|row| {
            let status = if row.disabled { Msg::Disabled } else { Msg::Active };
            let toggle_label = if row.disabled { Msg::Enable } else { Msg::Disable };
            view! {
                <tr class:disabled=row.disabled>
                    <td>{row.username.clone()}</td>
                    <td>{row.display_name.clone()}</td>
                    <td>{t(role_label(row.role))}</td>
                    <td>{t(status)}</td>
                    <td>{date_time(row.created_at_ms)}</td>
                    <td class="row-actions">
                        {(row.id != me).then(|| view! {
                            <ActionForm action=set_disabled>
                                <input type="hidden" name="user_id" value=row.id/>
                                <input type="hidden" name="disabled" value=(!row.disabled).to_string()/>
                                <button type="submit" class="button secondary">{t(toggle_label)}</button>
                            </ActionForm>
                        })}
                        {(row.role == Role::Station && !areas.is_empty()).then(|| {
                            let checks = areas.iter().map(|area| view! {
                                <label>
                                    <input type="checkbox" name="area_ids[]" value=area.id checked=row.area_ids.contains(&area.id)/>
                                    {format!("{} {}", t(Msg::AreaNumber), area.number)}
                                </label>
                            }).collect_view();
                            view! {
                                <ActionForm action=set_areas attr:class="inline-form area-assign">
                                    <input type="hidden" name="user_id" value=row.id/>
                                    <fieldset class="checks">
                                        <legend>{t(Msg::PollingAreas)}</legend>
                                        {checks}
                                    </fieldset>
                                    <button type="submit" class="button secondary">{t(Msg::Save)}</button>
                                </ActionForm>
                            }
                        })}
                        <ActionForm action=reset attr:class="inline-form">
                            <input type="hidden" name="user_id" value=row.id/>
                            <input
                                name="new_password"
                                type="password"
                                autocomplete="new-password"
                                minlength="10"
                                required
                                aria-label=t(Msg::NewPassword)
                                placeholder=t(Msg::NewPassword)
                            />
                            <button type="submit" class="button secondary">{t(Msg::ResetPassword)}</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table id="users-table">
                <thead>
                    <tr>
                        <th>{t(Msg::Username)}</th>
                        <th>{t(Msg::DisplayName)}</th>
                        <th>{t(Msg::Role)}</th>
                        <th>{t(Msg::Status)}</th>
                        <th>{t(Msg::CreatedAt)}</th>
                        <th>{t(Msg::Actions)}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ReadAudit children=|_| view! { <AuditLog/> }/> }
}

#[component]
fn AuditLog() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let before = q.get("before").and_then(|v| v.parse::<i64>().ok());
        (
            q.get("action").unwrap_or_default(),
            q.get("actor").unwrap_or_default(),
            before,
            q.get("entity").unwrap_or_default(),
        )
    };
    let page = Resource::new(filter, |(action, actor, before, entity)| {
        list_audit(action, actor, before, Some(entity))
    });
    let locale = use_locale();
    view! {
        <h1>{t(Msg::AuditTitle)}</h1>
        <nav class="sub-nav">
            <a href="/admin/users">{t(Msg::NavUsers)}</a>
            <a href="/admin/audit" aria-current="page">{t(Msg::NavAudit)}</a>
            <a href="/admin/backups">{t(Msg::NavBackups)}</a>
        </nav>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || page.get().map(|result| match result {
                Err(error) => view! { <p class="form-error" role="alert">{error_message(&error, locale)}</p> }.into_any(),
                Ok(page) => {
                    let (action, actor, _, entity) = filter();
                    let options = page.actions.iter().map(|a| {
                        view! { <option value=a.clone() selected=*a == action>{action_words(a, locale)}</option> }
                    }).collect_view();
                    let older = page.next_before_seq.map(|seq| {
                        let href = format!(
                            "/admin/audit?action={}&actor={}&entity={}&before={seq}",
                            encode_query_value(&action),
                            encode_query_value(&actor),
                            encode_query_value(&entity),
                        );
                        view! { <a class="button secondary" href=href>{t(Msg::NextPage)}</a> }
                    });
                    let empty = page.rows.is_empty();
                    let rows = page.rows.into_iter().map(|row| {
                        let words = action_words(&row.action, locale);
                        let (about, page_href) = entity_words(&row.entity, locale);
                        let history = format!("/admin/audit?entity={}", encode_query_value(&row.entity));
                        view! {
                        <tr>
                            <td class="num">{row.seq}</td>
                            <td>{date_time(row.at_ms)}</td>
                            <td>{row.actor}</td>
                            <td class="wrap" title=row.action>{words}</td>
                            <td class="wrap">
                                {match page_href {
                                    Some(href) => view! { <a href=href>{about}</a> }.into_any(),
                                    None => about.into_any(),
                                }}
                                " "<a class="entity-history" href=history title=row.entity>{t(Msg::AuditItsHistory)}</a>
                            </td>
                            <td class="summary"><ChangeSummary text=row.before/></td>
                            <td class="summary"><ChangeSummary text=row.after/></td>
                        </tr>
                    }
                    }).collect_view();
                    view! {
                        <form method="get" action="/admin/audit" class="filter-bar">
                            <label>
                                <span>{t(Msg::AuditFilterAction)}</span>
                                <select name="action">
                                    <option value="">{t(Msg::AuditAllActions)}</option>
                                    {options}
                                </select>
                            </label>
                            <label>
                                <span>{t(Msg::AuditFilterActor)}</span>
                                <input name="actor" value=actor.clone() autocapitalize="none"/>
                            </label>
                            <label>
                                <span>{t(Msg::AuditFilterEntity)}</span>
                                <input name="entity" value=entity.clone() autocapitalize="none" placeholder="VD: voter:1675"/>
                            </label>
                            <button type="submit" class="button secondary">{t(Msg::Filter)}</button>
                        </form>
                        <div class="table-wrap">
                            <table id="audit-table">
                                <thead>
                                    <tr>
                                        <th>"#"</th>
                                        <th>{t(Msg::AuditTime)}</th>
                                        <th>{t(Msg::AuditActor)}</th>
                                        <th>{t(Msg::AuditAction)}</th>
                                        <th>{t(Msg::AuditEntity)}</th>
                                        <th>{t(Msg::AuditBefore)}</th>
                                        <th>{t(Msg::AuditAfter)}</th>
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                        {empty.then(|| view! { <p>{t(Msg::NoRecords)}</p> })}
                        {older}
                        <p>
                            <a class="button secondary" id="audit-export" download rel="external" href=format!(
                                "/admin/audit.csv?action={}&actor={}&entity={}",
                                encode_query_value(&action),
                                encode_query_value(&actor),
                                encode_query_value(&entity),
                            )>{t(Msg::AuditExport)}</a>
                        </p>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

/// The action in words; a code this version does not know (from a newer one) as it is stored.
#[component]
pub fn BackupsPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ManageBackups children=|_| view! { <BackupsAdmin/> }/> }
}

#[component]
fn BackupsAdmin() -> impl IntoView {
    let run = ServerAction::<RunBackup>::new();
    let overview = Resource::new(move || run.version().get(), |_| list_backups());
    let locale = use_locale();
    view! {
        <h1>{t(Msg::BackupsTitle)}</h1>
        <nav class="sub-nav">
            <a href="/admin/users">{t(Msg::NavUsers)}</a>
            <a href="/admin/audit">{t(Msg::NavAudit)}</a>
            <a href="/admin/backups" aria-current="page">{t(Msg::NavBackups)}</a>
        </nav>
        <section class="card">
            <p>{t(Msg::BackupsHint)}</p>
            <ActionForm action=run attr:id="backup-now-form">
                <button type="submit" class="button primary" disabled=move || run.pending().get()>
                    {move || t(if run.pending().get() { Msg::BackupRunning } else { Msg::BackupNow })}
                </button>
            </ActionForm>
            {move || match run.value().get() {
                Some(Ok(made)) => view! { <BackupOutcome made/> }.into_any(),
                Some(Err(error)) => view! { <p class="form-error" role="alert">{error_message(&error, locale)}</p> }.into_any(),
                None => ().into_any(),
            }}
        </section>
        <Transition fallback=|| view! { <p>{t(Msg::Loading)}</p> }>
            {move || overview.get().map(|result| match result {
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                Ok(overview) => {
                    let schedule = match overview.schedule {
                        Some((minutes, keep)) => format!(
                            "{} {minutes} {} {keep}.",
                            t(Msg::BackupsAutomatic),
                            t(Msg::BackupsMinutesKeeping)
                        ),
                        None => t(Msg::BackupsManualOnly).to_string(),
                    };
                    view! {
                        <p>{t(Msg::BackupsFolder)}": "<code id="backup-folder">{overview.folder}</code></p>
                        <p>{schedule}</p>
                        <BackupsTable files=overview.files/>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn BackupOutcome(made: BackupMade) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="form-ok" role="status" id="backup-outcome">
            <p>
                <strong>{t(Msg::BackupDone)}": "</strong>
                <code>{made.file.name.clone()}</code>
                {format!(" ({})", megabytes(made.file.size_bytes, locale))}
            </p>
            <p>
                {format!(
                    "{} {}, {} {}, {} {}. {}: ",
                    count(made.voters, locale),
                    t(Msg::BackupVoters),
                    count(made.check_ins, locale),
                    t(Msg::BackupCheckIns),
                    count(made.audit_records, locale),
                    t(Msg::BackupAuditRecords),
                    t(Msg::BackupHead),
                )}
                <code class="hash">{made.head_hash}</code>
            </p>
        </div>
    }
}

#[component]
fn BackupsTable(files: Vec<BackupFile>) -> impl IntoView {
    let locale = use_locale();
    if files.is_empty() {
        return view! { <p id="backups-none">{t(Msg::BackupsNone)}</p> }.into_any();
    }
    let rows = files
        .into_iter()
        .map(|file| {
            view! {
                <tr>
                    <td><code>{file.name}</code></td>
                    <td>{date_time(file.at_ms)}</td>
                    <td class="num">{megabytes(file.size_bytes, locale)}</td>
                    <td><code>{file.head_hash_prefix}</code></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table id="backups-table">
                <thead>
                    <tr>
                        <th>{t(Msg::BackupFileName)}</th>
                        <th>{t(Msg::AuditTime)}</th>
                        <th>{t(Msg::BackupSize)}</th>
                        <th>{t(Msg::BackupHead)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
