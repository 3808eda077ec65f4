//! Tables in print: column widths, cell text and a ruled grid that runs over pages.

use super::super::{pounds_display, Cell, Table};
use super::text::{cap_lines, text_width, win_ansi, wrap, Font, Lines};
use super::{Layout, BOTTOM, CONTENT_WIDTH, MARGIN, TOP};

/// Column widths filling the content width: each column's natural width if all fit, else
/// narrow columns keep theirs and wide ones share the rest in proportion.
fn column_widths(natural: &[f32], available: f32) -> Vec<f32> {
    let total: f32 = natural.iter().sum();
    if total <= available {
        return natural.iter().map(|w| w * available / total).collect();
    }
    let mut fixed: Vec<Option<f32>> = vec![None; natural.len()];
    loop {
        let free = available - fixed.iter().flatten().sum::<f32>();
        let open = fixed.iter().filter(|f| f.is_none()).count();
        if open == 0 {
            return natural.to_vec();
        }
        let fair = free / open as f32;
        let mut changed = false;
        for (w, f) in natural.iter().zip(fixed.iter_mut()) {
            if f.is_none() && *w <= fair {
                *f = Some(*w);
                changed = true;
            }
        }
        if !changed {
            let flexible: f32 = natural
                .iter()
                .zip(&fixed)
                .filter(|(_, f)| f.is_none())
                .map(|(w, _)| w)
                .sum();
            return natural
                .iter()
                .zip(&fixed)
                .map(|(w, f)| f.unwrap_or(free * w / flexible))
                .collect();
        }
    }
}

/// The text a table cell shows in print.
fn printed(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Integer(n) => n.to_string(),
        Cell::Decimal(d) => d.to_string(),
        Cell::Pence(p) => pounds_display(*p),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::Empty => String::new(),
    }
}

pub(super) fn pdf_table(layout: &mut Layout, table: &Table) {
    const SIZE: f32 = 9.0;
    const LEADING: f32 = 11.0;
    const PAD_X: f32 = 4.0;
    const PAD_Y: f32 = 3.0;
    let columns = table
        .rows
        .iter()
        .map(Vec::len)
        .chain([table.columns.len()])
        .max()
        .unwrap_or(0);
    if !table.title.is_empty() {
        layout.y -= 4.0;
        layout.ensure(16.0 + 3.0 * (LEADING + 2.0 * PAD_Y));
        layout.block(&table.title, Font::Bold, 11.0, 16.0, 0.0);
    }
    if columns == 0 {
        return;
    }

    let header: Vec<Vec<u8>> = (0..columns)
        .map(|c| {
            table
                .columns
                .get(c)
                .map(|h| win_ansi(h))
                .unwrap_or_default()
        })
        .collect();
    let body: Vec<Vec<(Vec<u8>, bool)>> = table
        .rows
        .iter()
        .map(|row| {
            (0..columns)
                .map(|c| match row.get(c) {
                    Some(cell) => (win_ansi(&printed(cell)), cell.is_number()),
                    None => (Vec::new(), false),
                })
                .collect()
        })
        .collect();
    let natural: Vec<f32> = (0..columns)
        .map(|c| {
            let widest = body
                .iter()
                .map(|row| text_width(&row[c].0, Font::Regular, SIZE))
                .fold(text_width(&header[c], Font::Bold, SIZE), f32::max);
            widest.min(CONTENT_WIDTH) + 2.0 * PAD_X + 1.0
        })
        .collect();
    let widths = column_widths(&natural, CONTENT_WIDTH);
    let mut edges = vec![MARGIN];
    for w in &widths {
        edges.push(edges[edges.len() - 1] + w);
    }

    let wrap_cell = |text: &[u8], font: Font, c: usize| {
        wrap(text, font, SIZE, (widths[c] - 2.0 * PAD_X).max(SIZE))
    };
    let header_lines: Vec<Vec<Vec<u8>>> = (0..columns)
        .map(|c| cap_lines(wrap_cell(&header[c], Font::Bold, c), 4))
        .collect();
    let lines_height = |cells: &[Vec<Vec<u8>>]| {
        cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * LEADING + 2.0 * PAD_Y
    };
    let header_height = lines_height(&header_lines);
    let max_lines = ((TOP - BOTTOM - header_height - 2.0 * PAD_Y) / LEADING) as usize;

    let draw_row = |layout: &mut Layout, cells: &[Vec<Vec<u8>>], numeric: &[bool], font: Font| {
        let height = lines_height(cells);
        let top = layout.y;
        let bottom = top - height;
        if font == Font::Bold {
            layout.fill(edges[0], bottom, edges[columns] - edges[0], height, 0.9);
        }
        for (c, lines) in cells.iter().enumerate() {
            for (i, line) in lines.iter().enumerate() {
                let y = top - PAD_Y - SIZE * 0.8 - 1.0 - i as f32 * LEADING;
                let x = if numeric[c] {
                    edges[c + 1] - PAD_X - text_width(line, font, SIZE)
                } else {
                    edges[c] + PAD_X
                };
                layout.text(x, y, font, SIZE, 0.0, line);
            }
        }
        let weight = if font == Font::Bold { 0.9 } else { 0.4 };
        layout.rule(edges[0], top, edges[columns], top, 0.4);
        layout.rule(edges[0], bottom, edges[columns], bottom, weight);
        for &x in &edges {
            layout.rule(x, top, x, bottom, 0.4);
        }
        layout.y = bottom;
    };
    // A heading is right-aligned over a column of numbers.
    let number_columns: Vec<bool> = (0..columns)
        .map(|c| {
            let filled = || {
                table
                    .rows
                    .iter()
                    .filter_map(|row| row.get(c))
                    .filter(|cell| **cell != Cell::Empty)
            };
            filled().next().is_some() && filled().all(Cell::is_number)
        })
        .collect();

    let rows: Vec<(Vec<Lines>, Vec<bool>)> = body
        .iter()
        .map(|row| {
            let lines = row
                .iter()
                .enumerate()
                .map(|(c, (text, _))| cap_lines(wrap_cell(text, Font::Regular, c), max_lines))
                .collect();
            (lines, row.iter().map(|(_, n)| *n).collect())
        })
        .collect();

    let first_height = rows.first().map_or(0.0, |(lines, _)| lines_height(lines));
    layout.ensure(header_height + first_height);
    draw_row(layout, &header_lines, &number_columns, Font::Bold);
    for (lines, numeric) in &rows {
        let height = lines_height(lines);
        if layout.y - height < BOTTOM {
            layout.new_page();
            draw_row(layout, &header_lines, &number_columns, Font::Bold);
        }
        draw_row(layout, lines, numeric, Font::Regular);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn column_widths_fill_the_page_and_share_fairly() {
        let widths = column_widths(&[50.0, 50.0], 400.0);
        assert_eq!(widths, vec![200.0, 200.0]);
        let widths = column_widths(&[40.0, 1000.0, 1000.0], 400.0);
        assert_eq!(widths[0], 40.0);
        assert!((widths[1] - 180.0).abs() < 0.01);
        assert!((widths.iter().sum::<f32>() - 400.0).abs() < 0.01);
    }
}
