#include <cstdio>
#include <parkscore/parkscore.hpp>

int main() {
  parkscore::framework fw("index", "consumer");
  parkscore::node a;
  a.id = "a";
  fw.add_indicator("index", a);
  Eigen::MatrixXd x(2, 1);
  x << 1, 3;
  const auto r = parkscore::evaluate(fw, parkscore::dataset({"u1", "u2"}, {"a"}, x));
  std::printf("consumer ok: %g %g\n", r.score("u2", "index"), r.rank("u2", "index"));
  return r.rank("u2", "index") == 1 ? 0 : 1;
}
