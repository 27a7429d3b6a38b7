//! <https://wicg.github.io/background-fetch/#display>: what the embedder's UI shows of a
//! background fetch, and what `updateUI()` changes of it.

use super::actor::{storage_error, Actor};
use super::state::Fetch;
use net_traits::*;

impl Actor {
    /// <https://wicg.github.io/background-fetch/#display>: tells the embedder's UI what to
    /// show of `fetch` (origin, title, icons, progress, paused, result), if it changed;
    /// `finished`: the records are gone, the UI may close.
    pub(super) fn display(&self, fetch: &mut Fetch, finished: bool) {
        let Some(sink) = &self.sinks.display else {
            return;
        };
        let d = fetch.display(finished);
        if fetch.last_display.as_ref() == Some(&d) {
            return;
        }
        fetch.last_display = Some(d.clone());
        let _ = sink.send(d);
    }

    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchupdateuievent-updateui>
    /// steps 4-7 (the event checks are the script side's).
    pub(super) fn update_ui(
        &mut self,
        uid: FetchUid,
        title: Option<String>,
        icons: Option<Vec<ImageResource>>,
    ) -> Result<(), BackgroundFetchError> {
        // This implementation's limits (checked by the script side already).
        check_limits(None, title.as_deref(), icons.as_deref())
            .map_err(BackgroundFetchError::Type)?;
        let Some(fetch) = self.fetches.get_mut(&uid) else {
            return Err(BackgroundFetchError::InvalidState(
                "the background fetch is gone".into(),
            ));
        };
        if let Some(icons) = icons {
            fetch.icons = icons;
        }
        if let Some(title) = title {
            fetch.title = title;
        }
        self.store
            .set_ui(uid, &fetch.title, &fetch.icons)
            .map_err(storage_error)?;
        self.with_fetch(uid, |this, fetch| this.display(fetch, false));
        Ok(())
    }
}
