namespace Pmh.Vaccination.Fhir;

/// <summary>One administered dose as held by the hub, ready to be mapped to a FHIR Immunization.</summary>
/// <param name="Vaccine">Hub vaccine/product code, e.g. "MR", "DPT-IPV-HIB".</param>
/// <param name="VaccineName">Display name, e.g. "麻しん風しん混合ワクチン".</param>
/// <param name="Hot9">HOT9 code when known.</param>
/// <param name="DoseNumber">Dose number within the series (1-based).</param>
/// <param name="Date">Date the dose was given.</param>
/// <param name="LotNumber">Vaccine lot number when known.</param>
/// <param name="PerformerInstitutionCode">10-digit 医療機関コード of who gave the dose, when known.</param>
/// <param name="Programme">"routineA" | "routineB" | "voluntary" (see <see cref="VaccinationProgrammes"/>).</param>
/// <param name="RecordId">Stable id of the record in the hub.</param>
public sealed record ImmunizationEntry(
    string Vaccine,
    string VaccineName,
    string? Hot9,
    int DoseNumber,
    DateOnly Date,
    string? LotNumber,
    string? PerformerInstitutionCode,
    string Programme,
    string RecordId);
