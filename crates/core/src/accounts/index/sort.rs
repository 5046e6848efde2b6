//! The table's sort: the chosen column, then name where the column ties, then panel and id so
//! the order is total.

use std::cmp::Ordering;

use super::Hit;
use crate::accounts::query::SortColumn;

fn nulls_last<T: Ord>(a: Option<T>, b: Option<T>, descending: bool) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => dir(x.cmp(&y), descending),
    }
}

fn dir(o: Ordering, descending: bool) -> Ordering {
    if descending {
        o.reverse()
    } else {
        o
    }
}

pub(super) fn compare(
    col: SortColumn,
    descending: bool,
    now_ms: i64,
    a: Hit<'_>,
    b: Hit<'_>,
) -> Ordering {
    let (pa, ra) = a;
    let (pb, rb) = b;
    let name = || dir(ra.name_key.cmp(&rb.name_key), descending);
    let main = match col {
        SortColumn::Name => name(),
        SortColumn::Panel => dir(pa.name_key.cmp(&pb.name_key), descending).then_with(name),
        SortColumn::Kind => dir(ra.kind.as_str().cmp(rb.kind.as_str()), descending).then_with(name),
        SortColumn::Status => dir(
            ra.status(now_ms).as_str().cmp(rb.status(now_ms).as_str()),
            descending,
        )
        .then_with(name),
        SortColumn::Used => dir(ra.used_bytes.cmp(&rb.used_bytes), descending),
        SortColumn::Limit => nulls_last(ra.limit_bytes, rb.limit_bytes, descending),
        SortColumn::Expiry => nulls_last(ra.expires_at_ms, rb.expires_at_ms, descending),
        SortColumn::LastOnline => nulls_last(ra.last_online_ms, rb.last_online_ms, descending),
        SortColumn::Created => nulls_last(ra.created_at_ms, rb.created_at_ms, descending),
    };
    main.then_with(|| dir(pa.id.0.cmp(&pb.id.0), descending))
        .then_with(|| dir(ra.native_id.cmp(&rb.native_id), descending))
}
