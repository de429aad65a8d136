namespace Pmh.Subsidy.Publishing;

/// <summary>
/// One row as a municipality sends it (the JSON names of 医療費助成対象者情報登録API v0.1.1). Every scalar is read
/// as text so that one bad row is reported with its field and reason instead of failing the whole document.
/// Lives only in the gateway's request: the My Number in it is turned into a person key and dropped.
/// </summary>
public sealed class SubsidyCertificateRow
{
    public string? OrgSpecificCertificateTypeId { get; set; }

    public string? MyNumber { get; set; }

    public BasicFiveInfoRow? BasicFiveInfo { get; set; }

    public string? IsNotDisclosed { get; set; }

    public string? MedicalSubsidyInsurerNumber { get; set; }

    public string? CertificationName { get; set; }

    public string? MedicalSubsidyRecipientNumber { get; set; }

    public string? CertificationSubKey { get; set; }

    public string? Segment { get; set; }

    public string? IncomeSegment { get; set; }

    public string? AdditionalConditions { get; set; }

    public List<string?>? DesignatedMedicalInstitutions { get; set; }

    public string? IsAlwaysReimbursement { get; set; }

    public MaxCopaymentAmountRow? MaxCopaymentAmount { get; set; }

    public string? ValidFrom { get; set; }

    public string? ValidTo { get; set; }

    public string? HistoryKey { get; set; }

    public string? IsDeleted { get; set; }

    public List<CertificationDetailRow?>? CertificationDetail { get; set; }
}

public sealed class BasicFiveInfoRow
{
    public string? Name { get; set; }

    public string? NameKana { get; set; }

    public string? Address { get; set; }

    public string? DateOfBirth { get; set; }

    public string? Sex { get; set; }
}

public sealed class MaxCopaymentAmountRow
{
    public string? MonthlyYen { get; set; }
}

public sealed class CertificationDetailRow
{
    public string? Label { get; set; }

    public string? Value { get; set; }

    /// <summary>
    /// A CSV part that is not <c>label=value</c> (no <c>=</c>), kept so that the validator refuses it by its index;
    /// never read from JSON, never stored.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Unparsed { get; set; }
}
