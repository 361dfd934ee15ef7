//! The two panels side by side on the page: the data cloud and the first-layer weight vectors,
//! each with its covariance ellipse (two standard deviations) and eigenvector arrows, on equal
//! axes so that the angle between them on screen is the true angle.

use super::{house_style, arrow, tick_label, ellipse, projected, projection, square_ranges, DrawResult, Theme};
use crate::experiment::{Alignment, Experiment};
use nalgebra::DMatrix;
use plotters::coord::Shift;
use plotters::prelude::*;

/// At most this many points are drawn per panel: more only costs frame time.
const MAX_POINTS: usize = 700;

struct Frame {
    caption_height: u32,
    x_label: u32,
    y_label: u32,
    margin: u32,
}

impl Frame {
    fn new(theme: &Theme) -> Self {
        Frame { caption_height: theme.px(26.0), x_label: theme.px(40.0), y_label: theme.px(46.0), margin: theme.px(8.0) }
    }

    fn plot_size(&self, area: (u32, u32)) -> (u32, u32) {
        let w = area.0.saturating_sub(2 * self.margin + self.y_label);
        let h = area.1.saturating_sub(2 * self.margin + self.x_label + self.caption_height);
        (w.max(1), h.max(1))
    }
}

fn project_rows(p: &DMatrix<f64>, rows: &[f32], dim: usize, limit: usize) -> Vec<(f64, f64)> {
    let count = rows.len() / dim;
    let stride = count.div_ceil(limit).max(1);
    rows.chunks_exact(dim)
        .step_by(stride)
        .map(|row| {
            let (mut a, mut b) = (0.0, 0.0);
            for (i, &x) in row.iter().enumerate() {
                a += p[(0, i)] * x as f64;
                b += p[(1, i)] * x as f64;
            }
            (a, b)
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    labels: &[String; 2],
    points: &[(f64, f64)],
    eigen: &[(f64, [f64; 2]); 2],
    colour: RGBColor,
    reference_axes: Option<&[(f64, [f64; 2]); 2]>,
    theme: &Theme,
) -> DrawResult<DB> {
    area.fill(&theme.background)?;
    let frame = Frame::new(theme);
    let half = 3.0 * eigen[0].0.sqrt();
    let (pw, ph) = frame.plot_size(area.dim_in_pixel());
    let (xr, yr) = square_ranges(half, pw, ph);
    let mut chart = ChartBuilder::on(area)
        .margin(frame.margin)
        .caption(title, theme.font(15.0))
        .x_label_area_size(frame.x_label)
        .y_label_area_size(frame.y_label)
        .build_cartesian_2d(xr.clone(), yr.clone())?;
    house_style(&mut chart.configure_mesh(), theme)
        .x_desc(labels[0].as_str())
        .y_desc(labels[1].as_str())
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| tick_label(*v))
        .y_label_formatter(&|v| tick_label(*v))
        .draw()?;

    if let Some(axes) = reference_axes {
        // The data's eigen-directions, dashed, across the whole panel: what the weights align to.
        let reach = xr.end.max(yr.end) * 2.0;
        for (_, v) in axes {
            let line = vec![(-v[0] * reach, -v[1] * reach), (v[0] * reach, v[1] * reach)];
            chart.draw_series(DashedLineSeries::new(
                line,
                theme.px(6.0),
                theme.px(5.0),
                theme.data.mix(0.7).stroke_width(theme.px(1.5)),
            ))?;
        }
    }
    let dot = theme.px(2.2);
    chart.draw_series(points.iter().map(|&p| Circle::new(p, dot, colour.mix(0.35).filled())))?;
    chart.draw_series(std::iter::once(PathElement::new(ellipse(eigen, 2.0), colour.stroke_width(theme.px(2.5)))))?;
    for (value, v) in eigen {
        let length = 2.0 * value.sqrt();
        let head = half * 0.09;
        arrow(&mut chart, (v[0] * length, v[1] * length), head, theme.ink.stroke_width(theme.px(2.0)))?;
    }
    Ok(())
}

/// The data cloud, Σx's two-standard-deviation ellipse and its eigenvectors (length 2σ).
pub fn draw_data<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, experiment: &Experiment, theme: &Theme) -> DrawResult<DB> {
    let d = experiment.config().dim;
    let (p, labels) = projection(experiment);
    let points = project_rows(&p, experiment.display_points(), d, MAX_POINTS);
    let (_, eigen) = projected(&p, &experiment.distribution().covariance());
    let title = if d == 2 { "Data x ~ N(0, Σx)".to_string() } else { format!("Data x ~ N(0, Σx), {d}-D, projected") };
    panel(area, &title, &labels, &points, &eigen, theme.data, None, theme)
}

/// The first-layer weight vectors wⱼ (pooled over the ensemble), Σw's ellipse and
/// eigenvectors, and the data's eigen-directions dashed for reference.
pub fn draw_weights<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    experiment: &Experiment,
    alignment: &Alignment,
    theme: &Theme,
) -> DrawResult<DB> {
    let d = experiment.config().dim;
    let (p, labels) = projection(experiment);
    let rows: Vec<f32> = experiment.first_layer_rows().flat_map(|r| r.iter().copied()).collect();
    let points = project_rows(&p, &rows, d, MAX_POINTS);
    let (_, eigen) = projected(&p, &alignment.weight_covariance);
    let (_, data_axes) = projected(&p, &experiment.distribution().covariance());
    let labels = [labels[0].replace('x', "w"), labels[1].replace('x', "w")];
    let title = match alignment.angle_deg {
        // Isotropic data has no axes of its own: every direction is one of them.
        _ if experiment.distribution().is_isotropic() => "Weights wⱼ · isotropic data: no axes to align to".to_string(),
        Some(angle) => format!("Weights wⱼ · axis {angle:.1}° off the data axes"),
        None => format!("Weights wⱼ · alignment share {:.2}", alignment.alignment),
    };
    panel(area, &title, &labels, &points, &eigen, theme.weights, Some(&data_axes), theme)
}
