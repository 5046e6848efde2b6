//! 3x-ui's bulk routes (`/panel/api/clients/bulk*`, `groups/bulk*`): items with the same
//! operation go together, `chunk_size` emails per request. Each answer's `skipped` list says
//! per email what was not done. A panel without the route (older versions) and chunks whose
//! answer was lost go back to the item-by-item path, where the operations only 3x-ui has
//! ([`item`]) are edits of the client as the panel has it now.

use std::collections::HashMap;

use paneldeck_panels::{
    xui::{
        ApiGeneration, BulkAdjust, ClientPayload, ClientWithInbounds, InboundId, Skipped, XuiClient,
    },
    PanelError,
};

use super::actions::{self, keep_in_payload};
use crate::{
    actions::{AccountEdit, ExpiryInput, KeptCredentials, KeptSettings, NewAccount},
    bulk::{
        done, failed, is_not_found, scrubbed, types::*, Applied, ItemError, ItemErrorCode,
        ItemOutcome, ItemUpdate, Runner, Work,
    },
    error::{CoreError, Result},
    registry::PanelId,
};

#[derive(Debug, Clone, PartialEq)]
enum Route {
    Enable,
    Disable,
    Delete(bool),
    Reset,
    AddDays(u32),
    AddBytes(u64),
    Attach(Vec<i64>),
    Detach(Vec<i64>),
    GroupAdd(String),
    GroupRemove,
    Create,
}

fn route_of(w: &Work) -> Option<Route> {
    Some(match &w.rec.op {
        ItemOp::Enable => Route::Enable,
        ItemOp::Disable => Route::Disable,
        ItemOp::Delete { keep_traffic } => Route::Delete(*keep_traffic),
        ItemOp::ResetTraffic => Route::Reset,
        // Relative adjustments only when certain they were not applied yet.
        ItemOp::SetExpiry {
            add_days: Some(d), ..
        } if !w.uncertain => Route::AddDays(*d),
        ItemOp::SetTrafficLimit {
            add_bytes: Some(b), ..
        } if !w.uncertain => Route::AddBytes(*b),
        ItemOp::AttachInbounds { inbound_ids } => Route::Attach(inbound_ids.clone()),
        ItemOp::DetachInbounds { inbound_ids } => Route::Detach(inbound_ids.clone()),
        ItemOp::SetGroup { group: Some(g) } => Route::GroupAdd(g.clone()),
        ItemOp::SetGroup { group: None } => Route::GroupRemove,
        // A create to disable afterwards goes item by item (`add` enables every client).
        ItemOp::Create {
            new: NewAccount::Xui { .. },
            kept,
        } if !w.uncertain && !kept.disabled => Route::Create,
        _ => return None,
    })
}

/// Runs what the bulk routes can take; returns the rest for the item-by-item path.
pub(super) async fn run(
    c: &XuiClient,
    r: &Runner<'_>,
    panel: &PanelId,
    work: Vec<Work>,
) -> Vec<Work> {
    // Before v3.1 there are no bulk routes at all (facts §1.1): everything item by item.
    if !matches!(c.api_generation().await, Ok(ApiGeneration::ClientsApi)) {
        return work;
    }
    let mut groups: Vec<(Route, Vec<Work>)> = Vec::new();
    let mut rest = Vec::new();
    for w in work {
        match route_of(&w) {
            Some(route) => match groups.iter_mut().find(|(r, _)| *r == route) {
                Some((_, list)) => list.push(w),
                None => groups.push((route, vec![w])),
            },
            None => rest.push(w),
        }
    }
    let size = r.opts.chunk_size.max(1);
    for (route, items) in groups {
        let mut it = items.into_iter().peekable();
        while it.peek().is_some() {
            let chunk: Vec<Work> = it.by_ref().take(size).collect();
            if r.cancel.is_cancelled() {
                rest.extend(chunk);
                continue;
            }
            let recs: Vec<&ItemRecord> = chunk.iter().map(|w| &w.rec).collect();
            if let Err(err) = r.claim(&recs) {
                tracing::error!(%err, "could not write the bulk journal");
            }
            match send(c, &route, &chunk).await {
                Ok(mut updates) => r.record(panel, &mut updates),
                // No such route on this panel, or the answer was lost: item by item (which
                // checks before re-sending what may have been applied).
                Err(err) => {
                    let unknown = matches!(
                        err,
                        PanelError::Timeout(_) | PanelError::Network(_) | PanelError::Server { .. }
                    );
                    let missing = matches!(
                        err,
                        PanelError::NotThisPanel { .. } | PanelError::NotFound { .. }
                    );
                    if unknown || missing || err.is_transient() {
                        rest.extend(chunk.into_iter().map(|mut w| {
                            w.uncertain = w.uncertain || unknown;
                            w
                        }));
                    } else {
                        let err = CoreError::Panel(err);
                        let mut updates: Vec<ItemUpdate> = chunk
                            .iter()
                            .map(|w| scrubbed(failed(w.rec.seq, 1, &err), w.kept.as_ref()))
                            .collect();
                        r.record(panel, &mut updates);
                    }
                }
            }
        }
    }
    rest
}

fn emails(chunk: &[Work]) -> Vec<String> {
    chunk.iter().map(|w| w.rec.native_id.clone()).collect()
}

fn ids(list: &[i64]) -> Vec<InboundId> {
    list.iter().copied().map(InboundId).collect()
}

fn msg(m: ItemOutcome) -> Applied {
    Applied::message(m)
}

/// Per item, from the answer's `skipped` (email → reason).
fn by_skipped(
    chunk: &[Work],
    skipped: &[Skipped],
    ok: ItemOutcome,
    judge: impl Fn(&Work, &str) -> ItemUpdate,
) -> Vec<ItemUpdate> {
    let reasons: HashMap<String, &str> = skipped
        .iter()
        .map(|s| (s.email.to_lowercase(), s.reason.as_str()))
        .collect();
    chunk
        .iter()
        .map(|w| match reasons.get(&w.rec.native_id.to_lowercase()) {
            Some(reason) => judge(w, reason),
            None => done(w.rec.seq, 1, msg(ok.clone())),
        })
        .collect()
}

fn panel_said(reason: &str) -> CoreError {
    CoreError::Panel(PanelError::Api {
        status: 200,
        message: reason.to_owned(),
    })
}

/// "already enabled" and the like are done; "client not found" fails (or, for a delete whose
/// earlier attempt may have gone through, is done).
fn judge_default(w: &Work, reason: &str) -> ItemUpdate {
    let lower = reason.to_lowercase();
    if lower.contains("not found") {
        if w.uncertain && matches!(w.rec.op, ItemOp::Delete { .. }) {
            return done(w.rec.seq, 1, msg(ItemOutcome::AlreadyDeleted));
        }
        return failed(w.rec.seq, 1, &CoreError::NotFound(reason.to_owned()));
    }
    if lower.contains("already") {
        return done(
            w.rec.seq,
            1,
            msg(ItemOutcome::NothingToDo {
                reason: reason.to_owned(),
            }),
        );
    }
    failed(w.rec.seq, 1, &panel_said(reason))
}

fn judge_adjust(w: &Work, reason: &str) -> ItemUpdate {
    if reason.to_lowercase().contains("unlimited") {
        return ItemUpdate {
            seq: w.rec.seq,
            state: ItemState::Skipped,
            attempts: 1,
            error: Some(ItemError {
                code: ItemErrorCode::Skip(if reason.contains("expiry") {
                    SkipReason::UnlimitedExpiry
                } else {
                    SkipReason::UnlimitedTraffic
                }),
                // The panel's own words; the skip reason is the headline.
                detail: reason.to_owned(),
            }),
            message: None,
            result_id: None,
        };
    }
    judge_default(w, reason)
}

fn payload(
    new: &NewAccount,
    credentials: Option<&KeptCredentials>,
    settings: &KeptSettings,
) -> Option<ClientWithInbounds> {
    let NewAccount::Xui {
        email,
        inbound_ids,
        total_bytes,
        expiry,
        limit_ip,
        comment,
        group,
        reset_days,
    } = new
    else {
        return None;
    };
    let mut p = ClientPayload::new(email.trim().to_owned());
    keep_in_payload(
        &mut p,
        credentials.unwrap_or(&KeptCredentials::default()),
        settings,
    );
    p.total_bytes = Some(total_bytes.map_or(0, |b| i64::try_from(b).unwrap_or(i64::MAX)));
    p.expiry_time_ms = Some(match expiry {
        ExpiryInput::Never => 0,
        ExpiryInput::At { ms } => *ms,
        ExpiryInput::AfterFirstUse { days } => -(i64::from(*days) * crate::accounts::model::DAY_MS),
    });
    p.limit_ip = Some(i64::from(*limit_ip));
    p.comment = Some(comment.clone());
    p.group = group
        .as_ref()
        .map(|g| g.trim().to_owned())
        .filter(|g| !g.is_empty());
    p.reset_days = Some(i64::from(*reset_days));
    p.enable = Some(true);
    Some(ClientWithInbounds {
        client: p,
        inbound_ids: ids(inbound_ids),
    })
}

async fn send(c: &XuiClient, route: &Route, chunk: &[Work]) -> Result<Vec<ItemUpdate>, PanelError> {
    let list = emails(chunk);
    let all_done = |m: ItemOutcome| -> Vec<ItemUpdate> {
        chunk
            .iter()
            .map(|w| done(w.rec.seq, 1, msg(m.clone())))
            .collect()
    };
    Ok(match route {
        Route::Enable => {
            let res = c.bulk_enable(&list).await?;
            by_skipped(chunk, &res.skipped, ItemOutcome::Enabled, judge_default)
        }
        Route::Disable => {
            let res = c.bulk_disable(&list).await?;
            by_skipped(chunk, &res.skipped, ItemOutcome::Disabled, judge_default)
        }
        Route::Delete(keep) => {
            let res = c.bulk_del(&list, *keep).await?;
            by_skipped(chunk, &res.skipped, ItemOutcome::Deleted, judge_default)
        }
        Route::Reset => {
            c.bulk_reset_traffic(&list).await?;
            all_done(ItemOutcome::TrafficReset)
        }
        Route::AddDays(days) => {
            let body = BulkAdjust {
                emails: list,
                add_days: i64::from(*days),
                add_bytes: 0,
                flow: None,
            };
            let res = c.bulk_adjust(&body).await?;
            by_skipped(
                chunk,
                &res.skipped,
                ItemOutcome::ExpiryExtended { days: *days },
                judge_adjust,
            )
        }
        Route::AddBytes(bytes) => {
            let body = BulkAdjust {
                emails: list,
                add_days: 0,
                add_bytes: i64::try_from(*bytes).unwrap_or(i64::MAX),
                flow: None,
            };
            let res = c.bulk_adjust(&body).await?;
            by_skipped(
                chunk,
                &res.skipped,
                ItemOutcome::TrafficLimitRaised,
                judge_adjust,
            )
        }
        Route::Attach(inbounds) | Route::Detach(inbounds) => {
            let attach = matches!(route, Route::Attach(_));
            send_inbounds(c, attach, inbounds, chunk).await?
        }
        Route::GroupAdd(group) => {
            c.groups_bulk_add(&list, group).await?;
            all_done(ItemOutcome::AddedToGroup {
                group: group.clone(),
            })
        }
        Route::GroupRemove => {
            c.groups_bulk_remove(&list).await?;
            all_done(ItemOutcome::RemovedFromGroup)
        }
        Route::Create => send_create(c, chunk).await?,
    })
}

/// Attaches (or detaches) the chunk's clients to inbounds; the answer's `errors` name the
/// clients it failed for (`"email: reason"`).
async fn send_inbounds(
    c: &XuiClient,
    attach: bool,
    inbounds: &[i64],
    chunk: &[Work],
) -> Result<Vec<ItemUpdate>, PanelError> {
    let list = emails(chunk);
    let errors: Vec<String> = if attach {
        let res = c.bulk_attach(&list, &ids(inbounds)).await?;
        res.errors.iter().map(|e| e.to_string()).collect()
    } else {
        let res = c.bulk_detach(&list, &ids(inbounds)).await?;
        res.errors.iter().map(|e| e.to_string()).collect()
    };
    Ok(chunk
        .iter()
        .map(|w| {
            let needle = format!("{}:", w.rec.native_id);
            match errors.iter().find(|e| e.contains(&needle)) {
                Some(e) => failed(w.rec.seq, 1, &panel_said(e.trim_matches('"'))),
                None if attach => done(w.rec.seq, 1, msg(ItemOutcome::InboundsAttached)),
                None => done(w.rec.seq, 1, msg(ItemOutcome::InboundsDetached)),
            }
        })
        .collect())
}

/// Creates the chunk's clients; a skipped one already exists (or clashes) on the panel.
async fn send_create(c: &XuiClient, chunk: &[Work]) -> Result<Vec<ItemUpdate>, PanelError> {
    let items: Vec<ClientWithInbounds> = chunk
        .iter()
        .filter_map(|w| match &w.rec.op {
            ItemOp::Create { new, kept } => payload(new, w.kept.as_ref(), kept),
            _ => None,
        })
        .collect();
    let res = c.bulk_create(&items).await?;
    Ok(
        by_skipped(chunk, &res.skipped, ItemOutcome::Created, |w, reason| {
            scrubbed(
                failed(w.rec.seq, 1, &CoreError::Conflict(reason.to_owned())),
                w.kept.as_ref(),
            )
        })
        .into_iter()
        .map(|mut u| {
            if u.state == ItemState::Done {
                u.result_id = chunk
                    .iter()
                    .find(|w| w.rec.seq == u.seq)
                    .map(|w| w.rec.native_id.clone());
            }
            u
        })
        .collect(),
    )
}

/// One item the bulk routes did not take, of an operation only 3x-ui has.
pub(super) async fn item(c: &XuiClient, email: &str, op: &ItemOp) -> Result<Applied> {
    match op {
        ItemOp::SetExpiry { ms, .. } => {
            edit_current(c, email, |e| {
                if let AccountEdit::Xui { expiry, .. } = e {
                    *expiry = ms.map_or(ExpiryInput::Never, |ms| ExpiryInput::At { ms });
                }
            })
            .await
        }
        ItemOp::SetTrafficLimit { bytes, .. } => {
            edit_current(c, email, |e| {
                if let AccountEdit::Xui { total_bytes, .. } = e {
                    *total_bytes = *bytes;
                }
            })
            .await
        }
        ItemOp::SetTraffic {
            up_bytes,
            down_bytes,
        } => {
            // `clients/updateTraffic/:email` sets both counters absolutely (facts §4, v3.1.0).
            let wire = |b: &u64| i64::try_from(*b).unwrap_or(i64::MAX);
            c.update_traffic(email, wire(up_bytes), wire(down_bytes))
                .await?;
            Ok(msg(ItemOutcome::TrafficSet))
        }
        ItemOp::AttachInbounds { inbound_ids } => {
            c.attach(email, &ids(inbound_ids)).await?;
            Ok(msg(ItemOutcome::InboundsAttached))
        }
        ItemOp::DetachInbounds { inbound_ids } => {
            c.detach(email, &ids(inbound_ids)).await?;
            Ok(msg(ItemOutcome::InboundsDetached))
        }
        ItemOp::SetGroup { group } => {
            let emails = [email.to_owned()];
            match group {
                Some(g) => {
                    c.groups_bulk_add(&emails, g).await?;
                    Ok(msg(ItemOutcome::AddedToGroup { group: g.clone() }))
                }
                None => {
                    c.groups_bulk_remove(&emails).await?;
                    Ok(msg(ItemOutcome::RemovedFromGroup))
                }
            }
        }
        _ => Err(crate::bulk::unsupported_op(op)),
    }
}

/// A 3x-ui edit from the client as the panel has it now (either API generation), changed
/// by `f`.
async fn edit_current(
    c: &XuiClient,
    email: &str,
    f: impl FnOnce(&mut AccountEdit),
) -> Result<Applied> {
    let r = c.account(email).await?;
    let mut edit = AccountEdit::Xui {
        email: r.email.clone(),
        total_bytes: u64::try_from(r.total_bytes).ok().filter(|b| *b > 0),
        expiry: match r.expiry_time_ms {
            0 => ExpiryInput::Never,
            ms if ms > 0 => ExpiryInput::At { ms },
            ms => ExpiryInput::AfterFirstUse {
                days: u32::try_from((-ms) / crate::accounts::model::DAY_MS)
                    .unwrap_or(1)
                    .max(1),
            },
        },
        limit_ip: u32::try_from(r.limit_ip).unwrap_or(0),
        comment: r.comment.clone(),
        group: None,
        sub_id: None,
        reset_days: u32::try_from(r.reset_days).unwrap_or(0),
        enable: r.enable,
        inbound_ids: None,
    };
    f(&mut edit);
    let out = actions::edit(c, email, &edit).await?;
    Ok(Applied {
        message: out.message.map(ItemOutcome::from),
        ..Applied::default()
    })
}

/// The client's email if the panel already has a client named `email`.
pub(super) async fn existing(c: &XuiClient, email: &str) -> Result<Option<String>> {
    match c.account(email).await {
        Ok(r) => Ok(Some(r.email)),
        Err(e) => {
            let e = CoreError::Panel(e);
            if is_not_found(&e) {
                Ok(None)
            } else {
                Err(e)
            }
        }
    }
}
