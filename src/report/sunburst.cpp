#include "parkscore/report/sunburst.hpp"

#include "report/node_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numbers>
#include <vector>

namespace parkscore {

using detail::xml_escape;

namespace {


// Colours of the index's children (a colour-blind-safe qualitative set); deeper
// nodes take their category's colour blended towards white.
constexpr unsigned palette[] = {0x4E79A7, 0xF28E2B, 0x59A14F, 0xE15759, 0x76B7B2,
                                0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC};

std::string colour(unsigned rgb, int depth) {
  const double keep = std::pow(0.72, std::max(0, depth - 1));   // each level 28 % closer to white
  auto channel = [&](int shift) {
    const double c = static_cast<double>((rgb >> shift) & 0xFFu);
    return static_cast<unsigned>(std::lround(255.0 - (255.0 - c) * keep));
  };
  return fmt::format("#{:02X}{:02X}{:02X}", channel(16), channel(8), channel(0));
}

struct point {
  double x, y;
};

}  // namespace

std::string sunburst_svg(const framework& model, const sunburst_options& options) {
  const std::vector<double> share = model.absolute_weights();
  const auto& nodes = model.nodes();
  std::vector<int> depth(nodes.size(), 0);
  int deepest = 0;
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    depth[i] = depth[static_cast<std::size_t>(nodes[i].parent)] + 1;
    deepest = std::max(deepest, depth[i]);
  }
  const double ring = options.ring;
  const double radius = ring * (deepest + 1);
  const double head = options.title.empty() ? 6 : 28;
  const double cx = radius + 6, cy = head + radius;
  auto at = [&](double degrees, double r) {   // clockwise from twelve o'clock
    const double a = degrees * std::numbers::pi / 180.0;
    return point{cx + r * std::sin(a), cy - r * std::cos(a)};
  };
  auto label_of = [&](const node& n) { return options.names && !n.name.empty() ? n.name : n.id; };

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart sunburst\" viewBox=\"0 0 {0:.0f} {1:.0f}\" "
      "width=\"{0:.0f}\" height=\"{1:.0f}\" role=\"img\" aria-label=\"{2}\">\n",
      2 * cx, cy + radius + 6, xml_escape(options.title));
  if (!options.title.empty())
    svg += fmt::format("<text x=\"0\" y=\"16\" class=\"title\" font-weight=\"bold\" font-size=\"12\">{}</text>\n",
                       xml_escape(options.title));
  svg += fmt::format("<circle cx=\"{:.3f}\" cy=\"{:.3f}\" r=\"{:.3f}\" fill=\"#E8EDF3\" stroke=\"white\"><title>{}</title></circle>\n",
                     cx, cy, ring, xml_escape(label_of(nodes[0])));
  svg += fmt::format("<text x=\"{:.3f}\" y=\"{:.3f}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#234\">{}</text>\n", cx,
                     cy + 4, xml_escape(label_of(nodes[0])));

  // Start angles, parents first (nodes() lists parents before children).
  std::vector<double> start(nodes.size(), 0.0);
  std::vector<unsigned> base(nodes.size(), palette[0]);
  for (std::size_t p = 0; p < nodes.size(); ++p) {
    double a = start[p];
    int sibling = 0;
    for (int c : nodes[p].children) {
      const auto k = static_cast<std::size_t>(c);
      start[k] = a;
      a += 360.0 * share[k];
      base[k] = p == 0 ? palette[static_cast<std::size_t>(sibling) % std::size(palette)] : base[p];
      ++sibling;
    }
  }
  std::string labels;
  for (std::size_t k = 1; k < nodes.size(); ++k) {
    const double sweep = 360.0 * share[k];
    if (!(sweep > 0)) continue;   // a zero weight has no sector (the weight table lists it)
    const double r0 = ring * depth[k], r1 = ring * (depth[k] + 1);
    const double a0 = start[k], a1 = a0 + sweep;
    std::string d;
    if (sweep >= 359.999) {   // a full ring: two half arcs, since one arc cannot close on itself
      const point o0 = at(a0, r1), o1 = at(a0 + 180, r1), i0 = at(a0, r0), i1 = at(a0 + 180, r0);
      d = fmt::format("M {0:.3f} {1:.3f} A {4:.3f} {4:.3f} 0 1 1 {2:.3f} {3:.3f} A {4:.3f} {4:.3f} 0 1 1 {0:.3f} {1:.3f} "
                      "M {5:.3f} {6:.3f} A {9:.3f} {9:.3f} 0 1 0 {7:.3f} {8:.3f} A {9:.3f} {9:.3f} 0 1 0 {5:.3f} {6:.3f} Z",
                      o0.x, o0.y, o1.x, o1.y, r1, i0.x, i0.y, i1.x, i1.y, r0);
    } else {
      const int large = sweep > 180 ? 1 : 0;
      const point o0 = at(a0, r1), o1 = at(a1, r1), i1 = at(a1, r0), i0 = at(a0, r0);
      d = fmt::format("M {:.3f} {:.3f} A {:.3f} {:.3f} 0 {} 1 {:.3f} {:.3f} L {:.3f} {:.3f} A {:.3f} {:.3f} 0 {} 0 {:.3f} {:.3f} Z",
                      o0.x, o0.y, r1, r1, large, o1.x, o1.y, i1.x, i1.y, r0, r0, large, i0.x, i0.y);
    }
    const std::string name = label_of(nodes[k]);
    svg += fmt::format(
        "<path class=\"seg\" data-node=\"{}\" data-share=\"{:.17g}\" d=\"{}\" fill=\"{}\" stroke=\"white\" "
        "stroke-width=\"1\"><title>{} {:.1f}%</title></path>\n",
        xml_escape(nodes[k].id), share[k], d, colour(base[k], depth[k]), xml_escape(name), 100 * share[k]);
    if (sweep >= options.min_label_degrees) {
      const point m = at(a0 + sweep / 2, (r0 + r1) / 2);
      labels += fmt::format(
          "<text x=\"{:.3f}\" y=\"{:.3f}\" text-anchor=\"middle\" font-size=\"9\" fill=\"#222\">"
          "<tspan x=\"{:.3f}\" dy=\"-2\">{}</tspan><tspan x=\"{:.3f}\" dy=\"11\">{:.1f}%</tspan></text>\n",
          m.x, m.y, m.x, xml_escape(name), m.x, 100 * share[k]);
    }
  }
  return svg + labels + "</svg>";
}

}  // namespace parkscore
