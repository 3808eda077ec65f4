//! The store's versioned writes on a new database (PostgreSQL when `TENPA_TEST_DATABASE_URL` is
//! set): a write naming a stale version is refused with the current one and changes nothing, a
//! write to a record that is not there (or no longer live) is not found.

mod common;

use common::fresh;
use tenpa_store::{NewRota, RotaChange, Store, StoreError};

async fn rota(store: &Store, department: i64) -> i64 {
    let new = NewRota {
        department_id: department,
        name: "General surgery on call".into(),
        reason: String::new(),
        action_plan: String::new(),
        members: vec![],
        category: (
            "a".into(),
            "2026-04-01".parse().unwrap(),
            "first decision".into(),
        ),
    };
    store.create_rota("test", &new, &[]).await.unwrap().0
}

fn renamed(name: &str) -> RotaChange<'_> {
    RotaChange {
        name,
        reason: "",
        action_plan: "",
        members: &[],
    }
}

#[tokio::test]
async fn a_stale_version_is_refused_with_the_current_one_and_changes_nothing() {
    let (store, surgery) = fresh("stale").await;
    let id = rota(&store, surgery).await;
    let (version, _) = store
        .update_rota("test", id, 1, renamed("Surgery first on call"), &[])
        .await
        .unwrap();
    assert_eq!(version, 2);
    let entries = store.verify_audit().await.unwrap().entries;

    let stale = store
        .update_rota("test", id, 1, renamed("Written over"), &[])
        .await;
    assert!(
        matches!(
            stale,
            Err(StoreError::Conflict {
                expected: 1,
                current: 2
            })
        ),
        "{stale:?}"
    );
    let kept = store.rota(id).await.unwrap().unwrap();
    assert_eq!(
        (kept.name.as_str(), kept.version),
        ("Surgery first on call", 2)
    );
    let audit = store.verify_audit().await.unwrap();
    assert_eq!(audit.entries, entries, "a refused write is not audited");
    assert!(audit.ok());

    let decision = store
        .add_rota_category_decision(
            "test",
            id,
            1,
            "b",
            "2026-10-01".parse().unwrap(),
            "stale",
            &[],
        )
        .await;
    assert!(matches!(
        decision,
        Err(StoreError::Conflict { current: 2, .. })
    ));
    assert_eq!(store.rota(id).await.unwrap().unwrap().decisions.len(), 1);
}

#[tokio::test]
async fn a_missing_record_is_not_found_and_a_retired_one_is_no_longer_live() {
    let (store, surgery) = fresh("missing").await;
    let missing = store
        .update_rota("test", 999, 1, renamed("Nobody's"), &[])
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
    let objective = store
        .edit_objective("test", 999, 1, "clinical", "text")
        .await;
    assert!(
        matches!(&objective, Err(StoreError::NotFound(what)) if what == "objective 999"),
        "{objective:?}"
    );

    let template = store
        .create_plan_template("test", surgery, "Surgeon", "", &serde_json::json!({}))
        .await
        .unwrap();
    let stale = store.retire_plan_template("test", template, 2).await;
    assert!(matches!(
        stale,
        Err(StoreError::Conflict {
            expected: 2,
            current: 1
        })
    ));
    store
        .retire_plan_template("test", template, 1)
        .await
        .unwrap();
    let again = store.retire_plan_template("test", template, 2).await;
    assert!(matches!(again, Err(StoreError::NotFound(_))), "{again:?}");
}
