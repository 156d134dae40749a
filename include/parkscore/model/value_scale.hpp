#pragma once
// What a method expects its raw values to be measured in, and how a data file's
// grouping columns are named. Both are part of the method (framework file keys
// `scale` and `groups`, docs/schema.md) so that a reader can convert `12.5%` to
// the indicator's scale and map `开发区类别` / `省级` to `level` / `provincial`.

#include <map>
#include <string>
#include <vector>

namespace parkscore {

enum class scale_kind {
  unspecified,     // not declared: the reader's percent rule applies
  fraction,        // 0.125 means 12.5 %; "12.5%" is read as 0.125
  percent_points,  // 12.5 means 12.5 %; "12.5%" is read as 12.5
  unit,            // a measurement unit (亿元); other units convert by a factor
};

struct value_scale {
  scale_kind kind = scale_kind::unspecified;
  std::string unit;                       // kind unit: the unit the method expects, e.g. 亿元
  std::map<std::string, double> convert;  // kind unit: a unit a file may use -> factor into `unit` (万元 -> 0.0001)

  friend bool operator==(const value_scale&, const value_scale&) = default;
};

/// A grouping column as the method names it, and the spellings of its labels.
struct group_column {
  std::string id;        // the column the pools and rules use, e.g. "level"
  std::string name;      // e.g. 开发区类别: a header with this name is the column
  std::string name_en;
  std::map<std::string, std::vector<std::string>> labels;  // label -> other spellings, provincial -> [省级]

  friend bool operator==(const group_column&, const group_column&) = default;
};

}  // namespace parkscore
