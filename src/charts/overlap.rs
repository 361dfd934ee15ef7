//! The overlap matrix Oᵢⱼ = (vᵢᵀ uⱼ)² as a heatmap: data eigenvectors down, weight
//! eigenvectors across, both by decreasing eigenvalue. Aligned is a permutation matrix — not
//! necessarily the diagonal, since the weights may be largest along the quiet directions.

use super::{DrawResult, Theme};
use crate::experiment::{Alignment, Experiment};
use plotters::coord::Shift;
use plotters::prelude::*;

fn blend(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * t).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, experiment: &Experiment, alignment: &Alignment, theme: &Theme) -> DrawResult<DB> {
    area.fill(&theme.background)?;
    let overlap = crate::metrics::overlap(&experiment.distribution().eigen, &alignment.weight_eigen);
    let d = overlap.len() as i32;
    // Square cells: give the heatmap the largest square that fits.
    let (w, h) = area.dim_in_pixel();
    let side = w.min(h);
    let left = (w - side) / 2;
    let square = area.margin(0, 0, left, w - side - left);
    let labels = d <= 16;
    let mut chart = ChartBuilder::on(&square)
        .margin(theme.px(8.0))
        .caption("Overlap (vᵢ·uⱼ)²", theme.font(15.0))
        .x_label_area_size(theme.px(40.0))
        .y_label_area_size(theme.px(46.0))
        .build_cartesian_2d(0..d, d..0)?;
    // Labels mark cell edges; shift them by half a cell onto the cells' centres.
    let (x0, y0) = chart.backend_coord(&(0, 0));
    let (x1, y1) = chart.backend_coord(&(1, 1));
    let (half_x, half_y) = ((x1 - x0) / 2, (y1 - y0) / 2);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .disable_y_mesh()
        .x_desc("weight eigvec j (by λ)")
        .y_desc("data eigvec i (by σ)")
        .axis_desc_style(theme.font(13.0))
        .label_style(theme.muted_font(12.0))
        .x_labels(if labels { d as usize + 1 } else { 5 })
        .y_labels(if labels { d as usize + 1 } else { 5 })
        .x_label_offset(half_x)
        .y_label_offset(half_y)
        .x_label_formatter(&|v| if *v < d { format!("{}", v + 1) } else { String::new() })
        .y_label_formatter(&|v| if *v < d { format!("{}", v + 1) } else { String::new() })
        .axis_style(theme.muted.stroke_width(theme.px(1.0)))
        .draw()?;
    let low = theme.background;
    let high = theme.weights;
    chart.draw_series(overlap.iter().enumerate().flat_map(|(i, row)| {
        row.iter().enumerate().map(move |(j, &v)| {
            Rectangle::new([(j as i32, i as i32), (j as i32 + 1, i as i32 + 1)], blend(low, high, v.sqrt()).filled())
        })
    }))?;
    if d <= 6 {
        let font = theme.font(13.0).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        ));
        let (x0, y0) = chart.backend_coord(&(0, 0));
        let (x1, y1) = chart.backend_coord(&(1, 1));
        let (cw, ch) = (x1 - x0, y1 - y0);
        let plot = chart.plotting_area().strip_coord_spec();
        let origin = plot.get_base_pixel();
        for (i, row) in overlap.iter().enumerate() {
            for (j, &v) in row.iter().enumerate() {
                let cx = x0 - origin.0 + cw * j as i32 + cw / 2;
                let cy = y0 - origin.1 + ch * i as i32 + ch / 2;
                let style = if v > 0.5 { font.color(&theme.background) } else { font.clone() };
                plot.draw(&Text::new(format!("{v:.2}"), (cx, cy), style))?;
            }
        }
    }
    Ok(())
}
