//! Snapshots of the sign-off measure (PostgreSQL too when `TENPA_TEST_DATABASE_URL` is set): stored
//! once a month and in order, each chained to the one before by its hash, and a snapshot changed or
//! re-hashed after it was stored is detected.

mod common;

use common::{execute, fresh_at};
use tenpa_store::{broken_links, snapshot_hash, StoreError, FIRST_PREVIOUS};

#[tokio::test]
async fn snapshots_chain_and_a_changed_one_is_detected() {
    let (store, _, url) = fresh_at("snapshots").await;
    let march = store
        .create_compliance_snapshot("ms", "2026-03", "2026-03-31", r#"{"total":"72.7"}"#)
        .await
        .unwrap();
    assert_eq!(march.previous_sha256, FIRST_PREVIOUS);
    assert_eq!(
        march.sha256,
        snapshot_hash(FIRST_PREVIOUS, r#"{"total":"72.7"}"#)
    );
    let april = store
        .create_compliance_snapshot("ms", "2026-04", "2026-04-30", r#"{"total":"75.0"}"#)
        .await
        .unwrap();
    assert_eq!(april.previous_sha256, march.sha256);
    // One a month, in order.
    for month in ["2026-04", "2026-02"] {
        let e = store
            .create_compliance_snapshot("ms", month, "2026-04-30", "{}")
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Refused(_)), "{month}: {e}");
    }
    let chain = store.compliance_chain().await.unwrap();
    assert_eq!(chain.len(), 2);
    assert!(broken_links(&chain).is_empty());
    let listed = store.compliance_snapshots().await.unwrap();
    assert_eq!(
        listed.iter().map(|s| s.month.as_str()).collect::<Vec<_>>(),
        ["2026-04", "2026-03"]
    );
    assert_eq!(
        store
            .compliance_snapshot(march.id)
            .await
            .unwrap()
            .unwrap()
            .body,
        r#"{"total":"72.7"}"#
    );

    // The March figure changed in the database: March no longer matches its hash.
    execute(
        &url,
        &format!(
            "UPDATE compliance_snapshots SET body = '{{\"total\":\"99.0\"}}' WHERE id = {}",
            march.id
        ),
    )
    .await;
    let chain = store.compliance_chain().await.unwrap();
    assert_eq!(broken_links(&chain), [march.id]);
    // Re-hashed to match: then April's link to it is broken.
    let forged = snapshot_hash(FIRST_PREVIOUS, r#"{"total":"99.0"}"#);
    execute(
        &url,
        &format!(
            "UPDATE compliance_snapshots SET sha256 = '{forged}' WHERE id = {}",
            march.id
        ),
    )
    .await;
    let chain = store.compliance_chain().await.unwrap();
    assert_eq!(broken_links(&chain), [april.id]);
    // Removed: April's link to the start is broken.
    execute(
        &url,
        &format!("DELETE FROM compliance_snapshots WHERE id = {}", march.id),
    )
    .await;
    let chain = store.compliance_chain().await.unwrap();
    assert_eq!(broken_links(&chain), [april.id]);
}
