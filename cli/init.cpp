// parkscore init PRESET: a project folder ready to fill in Excel — the project
// file, a mapping template and blank data templates with the preset's Chinese
// headers (UTF-8 with BOM, and a GBK/GB18030 copy for older Excel).
#include <fmt/format.h>
#include <iconv.h>

#include <chrono>
#include <cstdint>
#include <set>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common.hpp"

namespace parkscore::cli {

namespace {

struct init_options {
  std::string preset;
  std::string dir = ".";
  int year = 0;   // the data year of the template; default: last year
  bool force = false;
};

std::string from_utf8(const std::string& text, const char* encoding) {
  iconv_t cd = iconv_open(encoding, "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(static_cast<std::intptr_t>(-1)))
    throw data_error(fmt::format("cannot convert to {}", encoding));
  std::string out(text.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(text.data());
  std::size_t in_left = text.size(), out_left = out.size();
  char* dst = out.data();
  const std::size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
  iconv_close(cd);
  if (rc == static_cast<std::size_t>(-1)) throw data_error(fmt::format("a header has no {} spelling", encoding));
  out.resize(out.size() - out_left);
  return out;
}

// The header an office would write: the Chinese name (the id if it has none or
// shares it), with the unit the values are to be written in.
std::string template_header(const framework& model, const std::string& id, std::set<std::string>& used) {
  std::string name, unit;
  if (const auto k = model.find(id)) {
    const node& n = model.at(*k);
    name = n.name;
    if (n.scale.kind == scale_kind::fraction || n.scale.kind == scale_kind::percent_points) unit = "%";
    else if (n.scale.kind == scale_kind::unit) unit = n.scale.unit;
  }
  for (const event_column& e : model.rules.events)
    if (e.id == id) name = e.name, unit = e.unit;
  if (name.empty() || !used.insert(match_key(name)).second) name = id;
  return unit.empty() ? name : fmt::format("{}（{}）", name, unit);
}

void write_file(const std::filesystem::path& file, const std::string& text, bool force) {
  if (!force && std::filesystem::exists(file))
    throw data_error(fmt::format("{}: exists already (pass --force to overwrite)", file.string()));
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out) throw data_error(fmt::format("{}: cannot write the file", file.string()));
}

int run_init(const init_options& o) {
  const framework model = load_preset(o.preset);
  const std::filesystem::path dir(o.dir);
  std::filesystem::create_directories(dir);
  const int year = o.year ? o.year
                          : static_cast<int>(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(
                                                 std::chrono::system_clock::now())).year()) - 1;

  // Data template: id, name, grouping columns, then one column per input.
  std::vector<std::string> header = {"开发区代码", "开发区名称"};
  for (const std::string& pool : model.pools) {
    if (pool.empty()) continue;
    std::string name = pool;
    for (const group_column& g : model.groups)
      if (g.id == pool && !g.name.empty()) name = g.name;
    header.push_back(name);
  }
  std::set<std::string> used;
  std::string mapping = "\xEF\xBB\xBF" + csv_line({"你的表头 (your header)", "指标 (indicator id)"});
  for (const std::string& id : input_columns(model)) {
    header.push_back(template_header(model, id, used));
    mapping += csv_line({header.back(), id});
  }
  const std::string utf8 = csv_line(header);
  const std::string data_file = fmt::format("data-{}.csv", year);
  write_file(dir / data_file, "\xEF\xBB\xBF" + utf8, o.force);
  write_file(dir / fmt::format("data-{}-gbk.csv", year), from_utf8(utf8, "GB18030"), o.force);
  write_file(dir / "mapping.csv", mapping, o.force);

  nlohmann::ordered_json p;
  p["format"] = "parkscore-project";
  p["version"] = 1;
  p["framework"] = o.preset;
  p["encoding"] = "utf-8";
  p["id_column"] = "开发区代码";
  p["name_column"] = "开发区名称";
  p["mapping"] = "mapping.csv";
  p["percent"] = "points";
  p["data"] = nlohmann::ordered_json::array({{{"year", year}, {"file", data_file}}});
  if (!model.pools.empty() && !model.pools.front().empty()) p["pool"] = model.pools.front();
  p["output"] = {{"format", "table"}, {"levels", 1}};
  write_file(dir / std::string(project_file_name), p.dump(2) + "\n", o.force);
  fmt::print("wrote {0}/parkscore.json, {0}/mapping.csv, {0}/{1} and {0}/data-{2}-gbk.csv\n"
             "Fill in {1} (or the GBK copy, then set \"encoding\": \"gb18030\" and its file name in parkscore.json),\n"
             "add a file per year to \"data\", and run 'parkscore score' in {0}.\n",
             dir.string(), data_file, year);
  return exit_code::ok;
}

}  // namespace

void add_init(CLI::App& app, action& run) {
  auto o = std::make_shared<init_options>();
  CLI::App* cmd = app.add_subcommand(
      "init", "Write a project file (parkscore.json), a mapping template and blank data templates for a preset");
  cmd->add_option("preset", o->preset, "Preset name, e.g. jiangsu-2021")->required();
  cmd->add_option("-d,--dir", o->dir, "Folder to write to")->capture_default_str();
  cmd->add_option("--year", o->year, "Data year of the template (default: last year)");
  cmd->add_flag("--force", o->force, "Overwrite existing files");
  cmd->footer("Example:\n  parkscore init jiangsu-2021 --dir office --year 2023\n  cd office && parkscore score");
  cmd->callback([o, &run] { run = [o] { return run_init(*o); }; });
}

}  // namespace parkscore::cli
