// hotline core for Python: the exception hierarchy, version, durations.
#include <pybind11/stl.h>

#include <string>

#include <hotline/core.hpp>

#include "bindings.hpp"
#include "casters.hpp"

namespace hotline::python {

namespace {

struct Exceptions {
  PyObject* base = nullptr;
  PyObject* by_code[12] = {};
};

Exceptions& exceptions() {
  static Exceptions e;
  return e;
}

PyObject* make_exception(py::module_& m, const char* name, PyObject* bases, const char* doc) {
  const std::string qualified = std::string("hotline.") + name;
  PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases, nullptr);
  if (cls == nullptr) throw py::error_already_set();
  m.add_object(name, py::reinterpret_borrow<py::object>(cls));
  return cls;
}

}  // namespace

void init_core(py::module_& m) {
  Exceptions& ex = exceptions();
  ex.base = make_exception(m, "Error", PyExc_Exception,
                           "Root of every hotline error. Attributes: code (str), where (str: JSON "
                           "pointer, line/column or argument), diagnostics (list of (where, "
                           "message)).");
  auto derive = [&](const char* name, PyObject* second, const char* doc) {
    py::tuple bases = second ? py::make_tuple(py::handle(ex.base), py::handle(second))
                             : py::make_tuple(py::handle(ex.base));
    return make_exception(m, name, bases.ptr(), doc);
  };
  PyObject* invalid_argument =
      derive("InvalidArgumentError", PyExc_ValueError, "A bad argument value.");
  PyObject* definition = derive("DefinitionError", PyExc_ValueError,
                                "A definition document failed to parse or validate.");
  PyObject* not_found = derive("NotFoundError", PyExc_LookupError, "Unknown id, name or file.");
  PyObject* state = derive("StateError", nullptr, "Operation not allowed in the current state.");
  PyObject* exists = derive("AlreadyExistsError", nullptr, "Duplicate id, key or command.");
  PyObject* io = derive("StorageError", PyExc_OSError, "File or database I/O failed.");
  PyObject* limit = derive("LimitError", nullptr, "A size, depth or range limit was exceeded.");
  ex.by_code[static_cast<int>(ErrorCode::invalid_argument)] = invalid_argument;
  ex.by_code[static_cast<int>(ErrorCode::invalid_definition)] = definition;
  ex.by_code[static_cast<int>(ErrorCode::not_found)] = not_found;
  ex.by_code[static_cast<int>(ErrorCode::invalid_state)] = state;
  ex.by_code[static_cast<int>(ErrorCode::already_exists)] = exists;
  ex.by_code[static_cast<int>(ErrorCode::io)] = io;
  ex.by_code[static_cast<int>(ErrorCode::limit)] = limit;

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      const Exceptions& x = exceptions();
      const int code = static_cast<int>(e.code());
      PyObject* cls = (code >= 0 && code < 12 && x.by_code[code]) ? x.by_code[code] : x.base;
      py::object instance = py::reinterpret_borrow<py::object>(cls)(py::str(e.what()));
      instance.attr("code") = py::str(to_string(e.code()));
      instance.attr("where") = py::str(e.where());
      py::list diagnostics;
      for (const auto& d : e.diagnostics()) diagnostics.append(py::make_tuple(d.where, d.message));
      instance.attr("diagnostics") = diagnostics;
      PyErr_SetObject(cls, instance.ptr());
    }
  });

  m.attr("__version__") = version();
  m.def("version", &version, "The version of the native library, e.g. '0.1.0'.");
  m.def("parse_duration", &parse_duration, py::arg("text"),
        "Parses '90s', '1h30m', '250ms', '2d' (a bare number is seconds) into a timedelta.");
  m.def("format_duration", &format_duration, py::arg("duration"),
        "Formats a timedelta (or seconds) compactly, e.g. '1h30m'.");
  m.def("parse_instant", &parse_instant, py::arg("text"),
        "Parses ISO 8601 with an offset ('2025-01-27T09:00:00+08:00') into an aware UTC datetime.");
  m.def("format_instant", &format_instant, py::arg("t"),
        "Formats a datetime as ISO 8601 UTC ('2025-01-27T01:00:00Z').");
}

}  // namespace hotline::python
