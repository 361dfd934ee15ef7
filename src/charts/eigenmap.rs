//! The eigenvalue map f(σᵢ) = √(vᵢᵀ Σw vᵢ): how far the weights spread along each data
//! eigen-direction, against that direction's standard deviation. Increasing then decreasing
//! is the paper's typical shape; in the tiny MLP it is often decreasing (partial whitening).

use super::{house_style, DrawResult, Theme};
use crate::experiment::{Alignment, Experiment};
use plotters::coord::Shift;
use plotters::prelude::*;

pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, experiment: &Experiment, alignment: &Alignment, theme: &Theme) -> DrawResult<DB> {
    area.fill(&theme.background)?;
    let data = &experiment.distribution().eigen;
    let sigma: Vec<f64> = data.values.iter().map(|v| v.sqrt()).collect();
    let f = crate::metrics::eigenvalue_map(&alignment.weight_covariance, data);
    let d = sigma.len() as f64;
    let isotropic = (alignment.weight_covariance.trace() / d).max(0.0).sqrt();
    let (smin, smax) = sigma.iter().fold((f64::INFINITY, 0.0f64), |(a, b), &s| (a.min(s), b.max(s)));
    let pad = ((smax - smin) * 0.08).max(smax * 0.05).max(1e-3);
    let fmax = f.iter().copied().fold(isotropic, f64::max) * 1.15;
    let fmax = if fmax > 0.0 && fmax.is_finite() { fmax } else { 1.0 };
    let mut chart = ChartBuilder::on(area)
        .margin(theme.px(8.0))
        .margin_right(theme.px(16.0))
        // The key is in the caption: a legend box would cover points on a narrow screen.
        .caption("Eigenvalue map f(σ) (dashed: isotropic weights)", theme.font(15.0))
        .x_label_area_size(theme.px(40.0))
        .y_label_area_size(theme.px(52.0))
        .build_cartesian_2d((smin - pad).max(0.0)..smax + pad, 0.0..fmax)?;
    house_style(&mut chart.configure_mesh(), theme)
        .x_desc("data std σᵢ along vᵢ")
        .y_desc("weight std f(σᵢ)")
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| format!("{v:.2}"))
        .y_label_formatter(&|v| format!("{v:.2}"))
        .draw()?;
    let muted = theme.muted;
    chart
        .draw_series(DashedLineSeries::new(
            vec![((smin - pad).max(0.0), isotropic), (smax + pad, isotropic)],
            theme.px(7.0),
            theme.px(4.0),
            muted.stroke_width(theme.px(1.5)),
        ))?;
    let weights = theme.weights;
    let points: Vec<(f64, f64)> = sigma.iter().copied().zip(f.iter().copied()).collect();
    chart.draw_series(LineSeries::new(points.clone(), weights.stroke_width(theme.px(2.0))))?;
    chart.draw_series(points.iter().map(|&p| Circle::new(p, theme.px(4.0), weights.filled())))?;
    Ok(())
}
