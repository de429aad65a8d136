namespace Pmh.Vaccination;
internal static class VaccinationAssembly { }
