//! Exports a reader can download: the metric history as CSV, the current state as JSON.

use crate::experiment::Experiment;
use nalgebra::DMatrix;
use serde_json::json;

/// One row per history entry; an empty cell where a value does not apply (angle beyond 2-D).
pub fn history_csv(experiment: &Experiment) -> String {
    let mut out = String::from("step,loss,accuracy,misalignment,misalignment_random,alignment,angle_deg\n");
    for r in experiment.history() {
        let angle = r.angle_deg.map(|a| a.to_string()).unwrap_or_default();
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            r.step, r.loss, r.accuracy, r.misalignment, r.misalignment_random, r.alignment, angle
        ));
    }
    out
}

fn rows(m: &DMatrix<f64>) -> Vec<Vec<f64>> {
    (0..m.nrows()).map(|i| m.row(i).iter().copied().collect()).collect()
}

/// Σx, Σw, both sets of eigenvectors (as columns, by decreasing eigenvalue), the settings and
/// the current metrics.
pub fn state_json(experiment: &mut Experiment) -> String {
    let alignment = experiment.alignment();
    let snapshot = experiment.snapshot();
    let data = &experiment.distribution().eigen;
    json!({
        "config": experiment.config().to_query(),
        "data_covariance": rows(&experiment.distribution().covariance()),
        "data_eigenvalues": data.values,
        "data_eigenvectors_columns": rows(&data.vectors),
        "weight_covariance": rows(&alignment.weight_covariance),
        "weight_eigenvalues": alignment.weight_eigen.values,
        "weight_eigenvectors_columns": rows(&alignment.weight_eigen.vectors),
        "metrics": snapshot,
    })
    .to_string()
}
