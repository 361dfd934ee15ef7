//! The wasm face: a thin `#[wasm_bindgen]` shim over the engine. The page's JavaScript owns
//! the DOM, the controls and the frame loop; everything numeric or drawn happens here.
//! Errors cross the boundary once, as a JS `Error` with the engine's message.

use crate::charts::{self, Theme};
use crate::experiment::{Alignment, Experiment};
use crate::{config, Config};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde_json::json;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen(start)]
pub fn start() {
    // A panic is a bug; this at least puts the message in the console instead of "unreachable".
    console_error_panic_hook::set_once();
}

/// The settings table as JSON: `[{name, help, effect, default}]`, for building controls.
#[wasm_bindgen]
pub fn keys_json() -> String {
    let defaults = Config::default();
    let keys: Vec<_> = config::KEYS
        .iter()
        .map(|k| json!({"name": k.name, "help": k.help, "effect": effect_name(k.effect), "default": k.get(&defaults)}))
        .collect();
    serde_json::Value::Array(keys).to_string()
}

/// The guided story: `[{id, title, query, text, steps}]`.
#[wasm_bindgen]
pub fn story_json() -> String {
    crate::story::story_json()
}

fn effect_name(effect: config::Effect) -> &'static str {
    match effect {
        config::Effect::Live => "live",
        config::Effect::Data => "data",
        config::Effect::View => "view",
        config::Effect::Reset => "reset",
        config::Effect::Transfer => "transfer",
    }
}

/// One running experiment, for one `<covalign-demo>` element.
#[wasm_bindgen]
pub struct App {
    experiment: Experiment,
    notices: Vec<crate::Error>,
    /// Σw and its measures for the current step, shared by the charts drawn in one frame.
    cached: Option<(u64, Alignment)>,
}

impl App {
    fn alignment(&mut self) -> &Alignment {
        let step = self.experiment.step_count();
        if self.cached.as_ref().map(|(s, _)| *s) != Some(step) {
            self.cached = Some((step, self.experiment.alignment()));
        }
        &self.cached.as_ref().expect("just filled").1
    }
}

#[wasm_bindgen]
impl App {
    /// Never fails: bad pairs are skipped (see `notices_json`) and their keys keep defaults.
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str) -> App {
        let (config, notices) = Config::from_query_lenient(query);
        let experiment = Experiment::new(config).unwrap_or_else(|_| Experiment::new(Config::default()).expect("defaults are valid"));
        App { experiment, notices, cached: None }
    }

    /// `[{key, message}]` for every pair of the constructor's query that was not used.
    pub fn notices_json(&self) -> String {
        let items: Vec<_> = self.notices.iter().map(|e| json!({"key": e.key(), "message": e.to_string()})).collect();
        serde_json::Value::Array(items).to_string()
    }

    /// Change one setting; returns what it did (`live`, `data`, `view`, `reset`, `transfer`).
    pub fn set(&mut self, key: &str, value: &str) -> Result<String, JsError> {
        let effect = self.experiment.set(key, value).map_err(|e| JsError::new(&e.to_string()))?;
        self.cached = None;
        Ok(effect_name(effect).to_string())
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.experiment.config().get(key)
    }

    /// Every setting: opening `?` + this reproduces the run exactly.
    pub fn query(&self) -> String {
        self.experiment.config().to_query()
    }

    /// Only the settings that differ from the defaults.
    pub fn query_changed(&self) -> String {
        self.experiment.config().to_query_changed()
    }

    /// Train up to `n` steps; fewer are taken when training diverges.
    pub fn step(&mut self, n: u32) -> u32 {
        self.experiment.step(n)
    }

    pub fn step_count(&self) -> f64 {
        self.experiment.step_count() as f64
    }

    pub fn diverged(&self) -> bool {
        self.experiment.diverged()
    }

    pub fn reset(&mut self) {
        self.experiment.reset();
        self.cached = None;
    }

    pub fn snapshot_json(&mut self) -> String {
        self.alignment();
        let alignment = &self.cached.as_ref().expect("filled above").1;
        serde_json::to_string(&self.experiment.snapshot_with(alignment)).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The data variances in basis order (the spectrum editor's bars).
    pub fn variances_json(&self) -> String {
        serde_json::to_string(&self.experiment.distribution().variances).unwrap_or_default()
    }

    pub fn history_csv(&self) -> String {
        crate::export::history_csv(&self.experiment)
    }

    pub fn export_json(&mut self) -> String {
        crate::export::state_json(&mut self.experiment)
    }

    /// Draw a chart onto a canvas whose width and height are already in device pixels.
    pub fn draw(&mut self, chart: &str, canvas: HtmlCanvasElement, dpr: f64, theme: &str) -> Result<(), JsError> {
        let theme = Theme::named(theme, dpr);
        self.alignment();
        let alignment = &self.cached.as_ref().expect("filled above").1;
        let backend = CanvasBackend::with_canvas_object(canvas).ok_or_else(|| JsError::new("the canvas has no 2-D context"))?;
        let area = backend.into_drawing_area();
        charts::draw(chart, &area, &self.experiment, alignment, &theme).map_err(|e| JsError::new(&e))
    }

    /// A sentence saying what a chart shows now, for its aria-label.
    pub fn describe(&mut self, chart: &str) -> String {
        self.alignment();
        let alignment = &self.cached.as_ref().expect("filled above").1;
        charts::describe(chart, &self.experiment, alignment)
    }
}

/// The transfer race presets: `[{id, title, query, text}]`.
#[wasm_bindgen]
pub fn race_presets_json() -> String {
    let presets: Vec<_> = crate::transfer::PRESETS
        .iter()
        .map(|(id, title, query, text)| json!({"id": id, "title": title, "query": query, "text": text}))
        .collect();
    serde_json::Value::Array(presets).to_string()
}

/// One transfer race (pre-train on random labels, fine-tune on real ones), advanced by the
/// page a slice at a time so that frames stay short.
#[wasm_bindgen]
pub struct RaceApp {
    race: crate::transfer::Race,
    notices: Vec<crate::Error>,
}

#[wasm_bindgen]
impl RaceApp {
    /// Never fails: bad pairs are reported by `notices_json` and keep their defaults. A race
    /// that cannot run as asked (too large for a tab) falls back to `fallback` (the preset
    /// the reader was editing), else to the defaults.
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str, fallback: &str) -> RaceApp {
        let (config, mut notices) = Config::from_query_lenient(query);
        let race = crate::transfer::Race::new(&config, 0).unwrap_or_else(|e| {
            notices.push(e);
            let (preset, _) = Config::from_query_lenient(fallback);
            crate::transfer::Race::new(&preset, 0)
                .unwrap_or_else(|_| crate::transfer::Race::new(&Config::default(), 0).expect("defaults are valid"))
        });
        RaceApp { race, notices }
    }

    pub fn notices_json(&self) -> String {
        let items: Vec<_> = self.notices.iter().map(|e| json!({"key": e.key(), "message": e.to_string()})).collect();
        serde_json::Value::Array(items).to_string()
    }

    /// Do about `budget` units of work (one unit = one minibatch update of one network);
    /// returns true once the race is finished.
    pub fn advance(&mut self, budget: u32) -> bool {
        self.race.advance(budget)
    }

    pub fn finished(&self) -> bool {
        self.race.finished()
    }

    /// `{phase: "upstream" | "downstream" | "done", done, total, fraction}`.
    pub fn progress_json(&self) -> String {
        serde_json::to_string(&self.race.progress()).unwrap_or_default()
    }

    /// Mean and spread of every contender's curves so far.
    pub fn curves_json(&self) -> String {
        serde_json::to_string(&self.race.curves()).unwrap_or_default()
    }

    /// The CLI's JSON lines so far, one per line.
    pub fn lines(&self) -> String {
        self.race.lines().join("\n")
    }

    /// The unit statistics at the switch, once the upstream phase is over.
    pub fn switch_json(&self) -> Option<String> {
        self.race.switch_line()
    }

    pub fn query(&self) -> String {
        self.race.config().to_query()
    }

    pub fn draw(&self, canvas: HtmlCanvasElement, dpr: f64, theme: &str) -> Result<(), JsError> {
        let theme = Theme::named(theme, dpr);
        let backend = CanvasBackend::with_canvas_object(canvas).ok_or_else(|| JsError::new("the canvas has no 2-D context"))?;
        let area = backend.into_drawing_area();
        charts::race::draw(&area, &self.race, &theme).map_err(|e| JsError::new(&format!("drawing the race: {e:?}")))?;
        area.present().map_err(|e| JsError::new(&format!("drawing the race: {e:?}")))
    }

    pub fn describe(&self) -> String {
        charts::race::describe(&self.race)
    }
}
