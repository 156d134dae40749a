#pragma once
// Progress reporting from C++ loops that run without the GIL: the Python
// callable is called as progress(done, total) with the GIL re-acquired. An
// exception raised by the callable (KeyboardInterrupt included) is carried out
// of the loop as py::error_already_set and re-raised in Python.

#include <pybind11/pybind11.h>

#include <cstddef>
#include <functional>

namespace parkscore::python {

using progress_function = std::function<void(std::size_t done, std::size_t total)>;

/// A C++ callback for `progress` (None gives a callback that does nothing).
/// Call it only while the GIL is released (inside a gil_scoped_release). It
/// holds a borrowed handle, so copies need no GIL; `progress` must outlive it
/// (it does: it is an argument of the bound call that runs the loop).
inline progress_function make_progress(pybind11::handle progress) {
  if (progress.is_none()) return [](std::size_t, std::size_t) {};
  return [progress](std::size_t done, std::size_t total) {
    pybind11::gil_scoped_acquire gil;
    progress(done, total);
  };
}

}  // namespace parkscore::python
