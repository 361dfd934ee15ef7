//! The exported wasm API, exercised in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use covalign::web::{keys_json, App};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("valid JSON")
}

#[wasm_bindgen_test]
fn keys_table_lists_every_setting_with_help_and_default() {
    let keys = json(&keys_json());
    let names: Vec<&str> = keys.as_array().unwrap().iter().map(|k| k["name"].as_str().unwrap()).collect();
    for name in ["seed", "dim", "spectrum", "basis", "samples", "labels", "lr", "optimizer", "ensemble"] {
        assert!(names.contains(&name), "{name} missing from keys_json");
    }
    assert!(keys[0]["help"].as_str().unwrap().len() > 5);
}

#[wasm_bindgen_test]
fn bad_query_gives_notices_and_a_working_app() {
    let mut app = App::new("dim=abc&lr=-1&bogus=1&seed=7");
    let notices = json(&app.notices_json());
    assert_eq!(notices.as_array().unwrap().len(), 3, "{notices}");
    assert_eq!(app.get("seed").as_deref(), Some("7"));
    assert_eq!(app.get("dim").as_deref(), Some("2"));
    assert_eq!(app.step(20), 20);
    assert_eq!(app.step_count(), 20.0);
}

#[wasm_bindgen_test]
fn set_reports_its_effect_and_rejects_bad_values_without_change() {
    let mut app = App::new("");
    app.step(10);
    assert_eq!(app.set("spectrum", "list:3,0.5").unwrap(), "data");
    assert_eq!(app.step_count(), 10.0, "a data change keeps training");
    assert!(app.set("spectrum", "list:-1,2").is_err());
    assert_eq!(app.get("spectrum").as_deref(), Some("list:3,0.5"));
    assert_eq!(app.set("hidden", "64").unwrap(), "reset");
    assert_eq!(app.step_count(), 0.0);
    assert!(app.query().contains("hidden=64"));
    assert_eq!(app.query_changed(), "spectrum=list:3,0.5&hidden=64");
}

#[wasm_bindgen_test]
fn snapshot_history_and_export_are_well_formed() {
    let mut app = App::new("seed=3");
    app.step(200);
    let snap = json(&app.snapshot_json());
    assert_eq!(snap["step"], 200);
    assert!(snap["misalignment_random"].as_f64().unwrap() > snap["misalignment"].as_f64().unwrap());
    assert_eq!(snap["sigma"].as_array().unwrap().len(), 2);
    let csv = app.history_csv();
    assert!(csv.starts_with("step,loss,accuracy,misalignment"));
    assert!(csv.lines().count() > 10);
    let export = json(&app.export_json());
    assert_eq!(export["weight_covariance"].as_array().unwrap().len(), 2);
    assert_eq!(json(&app.variances_json()).as_array().unwrap().len(), 2);
}

#[wasm_bindgen_test]
fn divergence_stops_training_and_reset_recovers() {
    let mut app = App::new("lr=100000");
    let taken = app.step(100);
    assert!(taken < 100 && app.diverged());
    assert!(!app.snapshot_json().contains("NaN"));
    app.set("lr", "0.1").unwrap();
    app.reset();
    assert!(!app.diverged());
    assert_eq!(app.step(10), 10);
}

#[wasm_bindgen_test]
fn every_chart_draws_on_a_canvas_and_describes_itself() {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").unwrap().dyn_into().unwrap();
    canvas.set_width(600);
    canvas.set_height(400);
    let mut app = App::new("dim=4&spectrum=power:1");
    app.step(50);
    for chart in covalign::charts::CHARTS {
        app.draw(chart, canvas.clone(), 2.0, "light").unwrap();
        assert!(app.describe(chart).len() > 10);
    }
    assert!(app.draw("nope", canvas, 1.0, "light").is_err());
}

#[wasm_bindgen_test]
fn a_small_race_runs_to_the_end_and_draws() {
    use covalign::web::{race_presets_json, RaceApp};
    let presets = json(&race_presets_json());
    assert_eq!(presets.as_array().unwrap().len(), 3);
    // Too large for a tab: refused with a notice, and the fallback (a preset) is what runs.
    let refused = RaceApp::new("dim=128&hidden=4096&hidden2=256&repeats=64", "dim=6&hidden=48&repeats=2");
    assert_eq!(json(&refused.notices_json()).as_array().unwrap().len(), 1);
    assert!(refused.query().contains("hidden=48"), "{}", refused.query());
    let mut race = RaceApp::new("dim=4&hidden=32&upstream_steps=20&downstream_steps=20&repeats=2&task=low:2&bogus=1", "");
    assert_eq!(json(&race.notices_json()).as_array().unwrap().len(), 1);
    let mut calls = 0;
    while !race.advance(50) {
        calls += 1;
        assert!(calls < 10_000, "the race never finished");
    }
    assert_eq!(json(&race.progress_json())["phase"], "done");
    let curves = json(&race.curves_json());
    assert_eq!(curves.as_array().unwrap().len(), 5, "five contenders");
    assert!(race.lines().lines().count() > 5);
    assert!(race.switch_json().unwrap().contains("\"phase\":\"switch\""));
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").unwrap().dyn_into().unwrap();
    canvas.set_width(640);
    canvas.set_height(360);
    race.draw(canvas, 1.0, "light").unwrap();
    assert!(race.describe().len() > 10);
}
