namespace Pmh.Vaccination.Fhir;

/// <summary>Canonical URLs and identifier/code systems used in the hub's FHIR output.</summary>
public static class FhirSystems
{
    /// <summary>JP Core Immunization profile (meta.profile of every Immunization).</summary>
    public const string JpImmunizationProfile = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Immunization";

    /// <summary>HOT9 (標準医薬品マスター HOT コード 9 桁) code system, as used by JP Core for vaccineCode.</summary>
    public const string Hot9 = "urn:oid:1.2.392.200119.4.403.1";

    /// <summary>Hub-local vaccine/product code system (code = hub vaccine code, e.g. "MR"); always present.</summary>
    public const string HubVaccine = "urn:pmh-hub:vaccine";

    // Hub-local: the hub's id of a vaccination record, kept as the Immunization's identifier.
    public const string HubVaccinationRecord = "urn:pmh-hub:vaccination-record";

    /// <summary>Hub-local vaccination programme code system (routineA / routineB / voluntary).</summary>
    public const string HubVaccinationProgramme = "urn:pmh-hub:vaccination-programme";

    /// <summary>Hub-local identifier system of the institution-specific person reference (never a My Number).</summary>
    public const string HubInstitutionPersonRef = "urn:pmh-hub:institution-person-ref";

    /// <summary>JP Core identifier system of the 10-digit 医療機関コード (insurance medical institution number).</summary>
    public const string InsuranceMedicalInstitutionNo = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no";

    /// <summary>Name prefix of Immunization records; the entry fullUrl is a UUID v5 of prefix + RecordId.</summary>
    public const string HubImmunizationNamePrefix = "urn:pmh-hub:immunization:";
}

/// <summary>Codes of <see cref="FhirSystems.HubVaccinationProgramme"/>.</summary>
public static class VaccinationProgrammes
{
    /// <summary>定期接種（A類疾病）.</summary>
    public const string RoutineA = "routineA";

    /// <summary>定期接種（B類疾病）.</summary>
    public const string RoutineB = "routineB";

    /// <summary>任意接種.</summary>
    public const string Voluntary = "voluntary";

    /// <summary>Japanese display of a known programme code, or null for an unknown one.</summary>
    public static string? DisplayOf(string code) => code switch
    {
        RoutineA => "定期接種（A類疾病）",
        RoutineB => "定期接種（B類疾病）",
        Voluntary => "任意接種",
        _ => null,
    };
}
