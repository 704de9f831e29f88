// Common bookkeeping of a bank of per-line periphery circuits (DACs, integrators, ADCs,
// translators): how many units the tile side has, how many the mapped layer uses, and the
// static power and area that follow. Units of lines a layer does not use are gated: they
// spend no dynamic energy and draw `gated_leakage_fraction` of their static power.
#pragma once

namespace rpusim {

struct BankStatics {
  int units = 0;       // circuits on this tile side
  int used_units = 0;  // circuits the mapped layer uses
  double static_power_per_unit_w = 0;
  double area_per_unit_um2 = 0;
  double gated_leakage_fraction = 0;

  double static_power_w() const {
    return static_power_per_unit_w *
           (used_units + gated_leakage_fraction * (units - used_units));
  }
  double area_um2() const { return area_per_unit_um2 * units; }
};

}  // namespace rpusim
