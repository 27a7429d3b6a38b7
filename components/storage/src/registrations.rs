//! Service worker registrations in the profile's database (the registry in `script` keeps
//! them through [`net_traits::service_workers::RegistrationStore`]): a registration, its
//! waiting and active workers and their script resource maps, replaced whole in one
//! transaction each time the registry stores it; ids reserved in blocks from a counter, so
//! an id is never handed out twice, across restarts too.

use super::*;
use net_traits::service_workers::{
    RegistrationStore, StoredRegistration, StoredScript, StoredWorker,
};

fn sql(e: rusqlite::Error) -> String {
    format!("service worker registrations: {e}")
}

fn load_worker(
    conn: &Connection,
    registration: i64,
    slot: &str,
) -> Result<Option<StoredWorker>, rusqlite::Error> {
    let row: Option<(i64, String, String, String, String)> = conn
        .query_row(
            "SELECT id, script_url, worker_type, csp, event_types FROM sw_workers
             WHERE registration_id = ?1 AND slot = ?2",
            params![registration, slot],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((id, script_url, worker_type, csp, event_types)) = row else {
        return Ok(None);
    };
    let mut stmt = conn.prepare(
        "SELECT url, body, content_type FROM sw_scripts WHERE worker_id = ?1 ORDER BY position",
    )?;
    let scripts = stmt
        .query_map(params![id], |r| {
            Ok(StoredScript {
                url: r.get(0)?,
                body: r.get(1)?,
                content_type: r.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(StoredWorker {
        id: id as u64,
        script_url,
        worker_type,
        scripts,
        csp: serde_json::from_str(&csp).unwrap_or_default(),
        event_types: serde_json::from_str(&event_types).ok(),
    }))
}

fn save_worker(
    tx: &rusqlite::Transaction<'_>,
    registration: i64,
    slot: &str,
    w: &StoredWorker,
) -> Result<(), rusqlite::Error> {
    tx.execute(
        "INSERT INTO sw_workers
            (id, registration_id, slot, script_url, worker_type, csp, event_types)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            w.id as i64,
            registration,
            slot,
            w.script_url,
            w.worker_type,
            serde_json::to_string(&w.csp).unwrap_or_else(|_| "[]".into()),
            serde_json::to_string(&w.event_types).unwrap_or_else(|_| "null".into())
        ],
    )?;
    for (position, s) in w.scripts.iter().enumerate() {
        tx.execute(
            "INSERT INTO sw_scripts (worker_id, position, url, body, content_type)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![w.id as i64, position as i64, s.url, s.body, s.content_type],
        )?;
    }
    Ok(())
}

fn delete_registration(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<(), rusqlite::Error> {
    tx.execute(
        "DELETE FROM sw_scripts WHERE worker_id IN
            (SELECT id FROM sw_workers WHERE registration_id = ?1)",
        params![id],
    )?;
    tx.execute(
        "DELETE FROM sw_workers WHERE registration_id = ?1",
        params![id],
    )?;
    tx.execute("DELETE FROM sw_registrations WHERE id = ?1", params![id])?;
    Ok(())
}

impl RegistrationStore for Store {
    fn load_registrations(&self) -> Result<Vec<StoredRegistration>, String> {
        let conn = self.conn.lock();
        let rows: Vec<(i64, String, String, String, Option<i64>)> = {
            let mut stmt = conn
                .prepare(
                    "SELECT id, storage_key, scope, update_via_cache, last_update_check
                     FROM sw_registrations ORDER BY position",
                )
                .map_err(sql)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .map_err(sql)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(sql)?
        };
        rows.into_iter()
            .map(|(id, storage_key, scope, update_via_cache, last)| {
                Ok(StoredRegistration {
                    id: id as u64,
                    storage_key,
                    scope,
                    update_via_cache,
                    last_update_check: last.map(|l| l as u64),
                    waiting: load_worker(&conn, id, "waiting").map_err(sql)?,
                    active: load_worker(&conn, id, "active").map_err(sql)?,
                })
            })
            .collect()
    }

    fn save_registration(&self, r: &StoredRegistration) -> Result<(), String> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction().map_err(sql)?;
        // The first position it got stays (the registration map's order).
        let position: Option<i64> = tx
            .query_row(
                "SELECT position FROM sw_registrations WHERE id = ?1",
                params![r.id as i64],
                |row| row.get(0),
            )
            .optional()
            .map_err(sql)?;
        let position = match position {
            Some(p) => p,
            None => tx
                .query_row(
                    "SELECT COALESCE(MAX(position), 0) + 1 FROM sw_registrations",
                    [],
                    |row| row.get(0),
                )
                .map_err(sql)?,
        };
        delete_registration(&tx, r.id as i64).map_err(sql)?;
        tx.execute(
            "INSERT INTO sw_registrations
                (id, storage_key, scope, update_via_cache, last_update_check, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                r.id as i64,
                r.storage_key,
                r.scope,
                r.update_via_cache,
                r.last_update_check.map(|l| l as i64),
                position
            ],
        )
        .map_err(sql)?;
        if let Some(w) = &r.waiting {
            save_worker(&tx, r.id as i64, "waiting", w).map_err(sql)?;
        }
        if let Some(w) = &r.active {
            save_worker(&tx, r.id as i64, "active", w).map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    fn remove_registration(&self, id: u64) -> Result<(), String> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction().map_err(sql)?;
        delete_registration(&tx, id as i64).map_err(sql)?;
        tx.commit().map_err(sql)
    }

    fn reserve_ids(&self, count: u64) -> Result<u64, String> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction().map_err(sql)?;
        let next: i64 = tx
            .query_row(
                "SELECT value FROM counters WHERE name = 'service_worker_id'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql)?
            .unwrap_or(1);
        tx.execute(
            "INSERT INTO counters (name, value) VALUES ('service_worker_id', ?1)
             ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            params![next + count as i64],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(next as u64)
    }
}
