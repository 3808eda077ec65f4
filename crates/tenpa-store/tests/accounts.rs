//! The store's account changes on a new database (PostgreSQL when `TENPA_TEST_DATABASE_URL` is
//! set): roles replaced or added inside one write, and the refusals that keep a trust administrable.

mod common;

use common::fresh;
use tenpa_rules::job_planning::Role;
use tenpa_store::{NewUser, RoleChange, Store, StoreError};

async fn add(store: &Store, username: &str, roles: &[Role]) {
    store
        .create_user(
            "test",
            &NewUser {
                username: username.into(),
                display_name: username.into(),
                password_hash: String::new(),
                roles: roles.to_vec(),
                department_id: None,
                consultant_id: None,
                email: None,
            },
        )
        .await
        .unwrap();
}

async fn roles(store: &Store, username: &str) -> Vec<Role> {
    store.account(username).await.unwrap().unwrap().user.roles
}

#[tokio::test]
async fn adding_a_role_keeps_the_others_and_names_the_department() {
    let (store, surgery) = fresh("add").await;
    add(&store, "ada", &[Role::Consultant]).await;
    let changed = store
        .set_user_roles(
            "admin",
            "ada",
            RoleChange::Add(Role::ClinicalDirector),
            Some(surgery),
        )
        .await
        .unwrap();
    assert!(changed);
    assert_eq!(
        roles(&store, "ada").await,
        [Role::Consultant, Role::ClinicalDirector]
    );
    let ada = store.account("ada").await.unwrap().unwrap();
    assert_eq!(ada.user.department_id, Some(surgery));
    // The same again changes nothing.
    let again = store
        .set_user_roles(
            "admin",
            "ada",
            RoleChange::Add(Role::ClinicalDirector),
            Some(surgery),
        )
        .await
        .unwrap();
    assert!(!again);
}

#[tokio::test]
async fn a_disabled_account_is_not_given_a_role() {
    let (store, surgery) = fresh("disabled").await;
    add(&store, "root", &[Role::Admin]).await;
    add(&store, "ben", &[Role::Consultant]).await;
    store.set_user_disabled("root", "ben", true).await.unwrap();
    let e = store
        .set_user_roles(
            "root",
            "ben",
            RoleChange::Add(Role::ClinicalDirector),
            Some(surgery),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Refused(d) if d.contains("disabled")),
        "{e:?}"
    );
    assert_eq!(roles(&store, "ben").await, [Role::Consultant]);
}

#[tokio::test]
async fn the_last_administrator_keeps_the_role_and_stays_enabled() {
    let (store, _) = fresh("last-admin").await;
    add(&store, "root", &[Role::Admin]).await;
    let e = store
        .set_user_roles(
            "other",
            "root",
            RoleChange::Replace(&[Role::MedicalStaffing]),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(&e, StoreError::Refused(d) if d.contains("last enabled administrator")));
    let e = store
        .set_user_disabled("other", "root", true)
        .await
        .unwrap_err();
    assert!(matches!(&e, StoreError::Refused(d) if d.contains("last enabled administrator")));
    // With a second administrator, both are allowed.
    add(&store, "deputy", &[Role::Admin]).await;
    assert!(store
        .set_user_roles(
            "deputy",
            "root",
            RoleChange::Replace(&[Role::MedicalStaffing]),
            None
        )
        .await
        .unwrap());
    assert_eq!(roles(&store, "root").await, [Role::MedicalStaffing]);
}

#[tokio::test]
async fn a_department_that_does_not_exist_is_named_in_the_refusal() {
    let (store, surgery) = fresh("department").await;
    add(&store, "ada", &[Role::Consultant]).await;
    let missing = surgery + 100;
    for e in [
        store
            .set_user_roles(
                "admin",
                "ada",
                RoleChange::Add(Role::ClinicalDirector),
                Some(missing),
            )
            .await
            .unwrap_err(),
        store
            .set_user_links("admin", "ada", Some(missing), None)
            .await
            .unwrap_err(),
    ] {
        assert!(
            matches!(&e, StoreError::Invalid { field, message } if field == "department_id" && message == &format!("found {missing}, expected the id of a department")),
            "{e:?}"
        );
    }
    assert_eq!(roles(&store, "ada").await, [Role::Consultant]);
    let empty = store
        .set_user_roles("admin", "ada", RoleChange::Replace(&[]), None)
        .await
        .unwrap_err();
    assert!(matches!(empty, StoreError::Invalid { field, .. } if field == "roles"));
}
