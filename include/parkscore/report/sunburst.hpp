#pragma once
// The framework as a sunburst: the index in the centre, one ring per level, each
// node an annular sector whose angle is its share of the index (the product of the
// normalised sibling weights, framework::absolute_weights) x 360 degrees, clockwise
// from twelve o'clock in framework order. Plain SVG, inline in the HTML report.
// docs/reports.md states the geometry.

#include <string>

#include "parkscore/model/framework.hpp"

namespace parkscore {

struct sunburst_options {
  std::string title;        // drawn above the chart (and its aria-label)
  bool names = true;        // labels: display names (else ids)
  double ring = 70;         // ring width in SVG units; the centre disc has this radius too
  double min_label_degrees = 9;   // sectors narrower than this carry no text label (their <title> names them)
};

/// An <svg> element: a <circle> for the index and a <path class="seg" data-node="ID"
/// data-share="S"> per other node, each with a <title> "name  S%"; the outer arc of a
/// sector runs from angle a0 to a1 (a0, a1 measured clockwise from twelve o'clock).
std::string sunburst_svg(const framework& model, const sunburst_options& options = {});

}  // namespace parkscore
