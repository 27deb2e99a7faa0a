// Internal: one init function per component; module.cpp calls them in dependency order.
#pragma once

#include <pybind11/pybind11.h>

namespace hotline::python {

namespace py = pybind11;

void init_core(py::module_& m);
void init_calendar(py::module_& m);
void init_sla(py::module_& m);
void init_workforce(py::module_& m);
void init_escalation(py::module_& m);
void init_ivr(py::module_& m);
void init_survey(py::module_& m);
void init_routing(py::module_& m);
void init_sim(py::module_& m);

}  // namespace hotline::python
