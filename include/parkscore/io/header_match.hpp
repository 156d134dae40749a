#pragma once
// Headers and labels mapped to the method in one step (docs/data-files.md,
// "Headers and labels"): a header matches an indicator by its id, its Chinese
// name or its English name, compared after clean-up (match_key), with an optional
// unit in parentheses ("地区生产总值（万元）"); a mapping adds other spellings. A
// grouping column matches by its id or name (开发区类别 -> level) and its labels
// by the spellings the method or the mapping gives (省级 -> provincial).

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parkscore/model/framework.hpp"

namespace parkscore {

/// What an office writes differently from the method.
struct column_mapping {
  std::map<std::string, std::string> columns;   // header (or long-layout label) -> indicator id or grouping column
  std::map<std::string, std::map<std::string, std::string>> labels;   // grouping column -> spelling -> label

  bool empty() const { return columns.empty() && labels.empty(); }
};

/// A mapping file: a JSON object {"地区生产总值": "E1_level"} or {"columns": {...},
/// "labels": {"level": {"省级": "provincial"}}} (strict: other keys are errors naming
/// the JSON path), or a CSV whose first two columns are header and target.
column_mapping read_mapping(const std::filesystem::path& file);
/// Adds `more` to `base`; a header mapped to two different targets is an error.
void merge_mapping(column_mapping& base, const column_mapping& more, const std::string& source);

struct header_match {
  enum class kind { indicator, group };
  kind what = kind::indicator;
  std::string target;   // indicator id or grouping column
  std::string unit;     // a unit in parentheses after the header, "" if none
};

class header_matcher {
 public:
  /// Indicators are the framework's input columns (indicators, inputs of derived
  /// ones, event columns); grouping columns are the pools, the framework's
  /// `groups` and `extra_groups`.
  header_matcher(const framework& model, const column_mapping& mapping, const std::vector<std::string>& extra_groups);

  std::optional<header_match> match(std::string_view header) const;
  /// Up to `count` names of indicators or grouping columns closest to `header`
  /// (edit distance on characters, at most half the longer name and at least 2).
  std::vector<std::string> closest(std::string_view header, std::size_t count = 3) const;
  /// "E1_level 地区生产总值, E1_growth 地区生产总值增速, ...".
  std::string indicator_list() const;
  /// Mapping entries whose target is neither an input column nor a known grouping
  /// column: "'地区生产总值' -> 'E1_levle'" (a misspelt target must not pass as a new column).
  std::vector<std::string> unknown_targets() const { return unknown_targets_; }
  /// The label a grouping column's cell stands for (the cell itself if no spelling matches).
  std::string label(const std::string& group, std::string_view cell) const;

 private:
  struct entry {
    std::string target;
    header_match::kind what;
    std::string shown;   // "E1_growth 地区生产总值增速"
  };
  std::map<std::string, entry> by_key_;            // match_key of a spelling -> target
  std::vector<std::pair<std::string, std::string>> names_;   // match_key, shown
  std::vector<std::string> indicator_list_;
  std::map<std::string, std::map<std::string, std::string>> labels_;   // group -> match_key(spelling) -> label
  std::vector<std::string> unknown_targets_;
};

}  // namespace parkscore
