//! The background checkpoint after a large write runs at the lowest priority. In a file of its
//! own: every checkpoint thread in this process is then this test's store's, so the threads
//! seen are the ones it spawned.
#![cfg(target_os = "linux")]
#![allow(clippy::expect_used)]

use std::time::{Duration, Instant};

use paneldeck_core::store::Store;

/// (name cut to 15 bytes, nice) of this process's threads, from /proc/self/task/*/stat.
fn threads() -> Vec<(String, i64)> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("stat")).ok())
        .filter_map(|stat| {
            let (head, tail) = stat.rsplit_once(')')?;
            let comm = head.split_once('(')?.1.to_owned();
            // After the name: state is field 3 and nice field 19.
            let nice = tail.split_whitespace().nth(16)?.parse().ok()?;
            Some((comm, nice))
        })
        .collect()
}

fn checkpoint_threads_nice() -> Vec<i64> {
    threads()
        .into_iter()
        .filter(|(comm, _)| "sqlite-checkpoint".starts_with(comm.as_str()))
        .map(|(_, nice)| nice)
        .collect()
}

#[test]
fn the_checkpoint_thread_gives_way() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("db.sqlite")).expect("store");
    store
        .with_large_write(|c| Ok(c.execute_batch("CREATE TABLE t (x)")?))
        .expect("write");
    // The thread lives about a second after the last large write, and one just spawned has
    // not lowered its priority yet: look until every one seen has, writing again whenever
    // none is alive (a slow machine may have let it finish unseen).
    let deadline = Instant::now() + Duration::from_secs(20);
    let found = loop {
        let found = checkpoint_threads_nice();
        let settled = !found.is_empty() && found.iter().all(|nice| *nice == 19);
        if settled || Instant::now() > deadline {
            break found;
        }
        if found.is_empty() {
            store
                .with_large_write(|c| Ok(c.execute_batch("INSERT INTO t VALUES (1)")?))
                .expect("write");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(
        !found.is_empty(),
        "no checkpoint thread among {:?}",
        threads()
    );
    assert!(found.iter().all(|nice| *nice == 19), "{found:?}");
}
