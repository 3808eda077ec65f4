//! The versioned write every audited record shares: an update guarded by the version the writer
//! read, and a stale version answered with the current one.

/// Runs `$update` (an `UPDATE` guarded by `version = $expected`) in the open transaction `$tx`.
/// When it changed no row, rolls the transaction back and returns from the enclosing function
/// [`StoreError::Conflict`](crate::StoreError::Conflict) naming the current version in `$table`,
/// or [`StoreError::NotFound`](crate::StoreError::NotFound) naming `$what` when there is no such
/// record. Only the version is read back, so a concurrent writer's change is never overwritten.
/// A record that is only live under a condition (`retired_at IS NULL`) names it after `where`: a
/// record outside it is not found.
macro_rules! versioned_update {
    ($tx:ident, $update:expr, $table:literal, $what:expr, $id:expr, $expected:expr) => {
        $crate::versioned::versioned_update!($tx, $update, $table where "1 = 1", $what, $id, $expected)
    };
    ($tx:ident, $update:expr, $table:literal where $live:literal, $what:expr, $id:expr, $expected:expr) => {{
        let updated = $update.execute(&mut *$tx).await?;
        if updated.rows_affected() == 0 {
            let current: Option<i64> =
                sqlx::query_scalar(concat!("SELECT version FROM ", $table, " WHERE id = $1 AND ", $live))
                    .bind($id)
                    .fetch_optional(&mut *$tx)
                    .await?;
            $tx.rollback().await?;
            return Err(match current {
                Some(current) => $crate::StoreError::Conflict {
                    expected: $expected,
                    current,
                },
                None => $crate::StoreError::NotFound(format!("{} {}", $what, $id)),
            });
        }
    }};
}
pub(crate) use versioned_update;
