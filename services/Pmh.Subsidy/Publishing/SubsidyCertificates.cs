using System.Globalization;
using FluentValidation;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Subsidy;
using Pmh.Hosting.Messaging;
using Pmh.Hosting.Privacy;
using Pmh.Modules.Batches;
using Pmh.Modules.Reception;

using Pmh.Contracts.Validation;

namespace Pmh.Subsidy.Publishing;

/// <summary>Subsidy certificates (受給者証) as a municipal batch, for the subsidy service.</summary>
public sealed class SubsidyCertificates(PersonKeys personKeys, TimeProvider timeProvider) : IBatchKind<SubsidyCertificateRow, SubsidyCertificate>
{
    public const string KindName = "subsidy-certificates";

    // Built once (building compiles the rules); its one dependency is the clock that says what today is.
    private readonly SubsidyCertificateRowValidator _rowValidator = new(timeProvider);

    public string Kind => KindName;

    public string RowsField => "certificates";

    public Pmh.Modules.Pages.LocalText Title { get; } = new("医療費助成の受給者証", "Subsidy certificates");

    public IValidator<SubsidyCertificateRow> Validator => _rowValidator;

    public Uri Destination { get; } = CommandQueue.Address(SubsidyQueues.PublishCertificates);

    public bool AcceptsCsv => true;

    public IBatchCsvLayout<SubsidyCertificateRow> CsvLayout => SubsidyBatchReader.Layout;

    public (string Field, string Value) UniqueKey(SubsidyCertificateRow row) => ("historyKey", row.HistoryKey!);

    public SubsidyCertificate Convert(MunicipalityCode municipality, SubsidyCertificateRow row) => new()
    {
        MunicipalityCode = municipality.Value,
        HistoryKey = row.HistoryKey!,
        PersonKey = personKeys.For(MyNumber.Parse(row.MyNumber)),
        OrgSpecificCertificateTypeId = row.OrgSpecificCertificateTypeId!,
        BasicFiveInfo = new BasicFiveInfo(
            row.BasicFiveInfo!.Name!,
            row.BasicFiveInfo.NameKana!,
            row.BasicFiveInfo.Address!,
            IsoDate.Parse(row.BasicFiveInfo.DateOfBirth)!.Value,
            row.BasicFiveInfo.Sex!),
        IsNotDisclosed = SubsidyCertificateRowValidator.ParseFlag(row.IsNotDisclosed)!.Value,
        MedicalSubsidyInsurerNumber = row.MedicalSubsidyInsurerNumber!,
        CertificationName = row.CertificationName!,
        MedicalSubsidyRecipientNumber = row.MedicalSubsidyRecipientNumber!,
        CertificationSubKey = row.CertificationSubKey,
        Segment = row.Segment,
        IncomeSegment = row.IncomeSegment,
        AdditionalConditions = row.AdditionalConditions,
        DesignatedMedicalInstitutions = row.DesignatedMedicalInstitutions?.Select(d => d!).ToList() ?? [],
        IsAlwaysReimbursement = SubsidyCertificateRowValidator.ParseFlag(row.IsAlwaysReimbursement)!.Value,
        MaxCopaymentAmount = row.MaxCopaymentAmount is null
            ? null
            : new MaxCopaymentAmount(int.Parse(row.MaxCopaymentAmount.MonthlyYen!, CultureInfo.InvariantCulture)),
        ValidFrom = IsoDate.Parse(row.ValidFrom)!.Value,
        ValidTo = IsoDate.Parse(row.ValidTo)!.Value,
        IsDeleted = SubsidyCertificateRowValidator.ParseFlag(row.IsDeleted)!.Value,
        CertificationDetail = row.CertificationDetail?.Select(d => new CertificationDetailItem(d!.Label!, d.Value!)).ToList() ?? [],
    };

    public object Part(BatchRecord batch, int partIndex, int partCount, int rowCount, IReadOnlyList<(int Index, SubsidyCertificate Item)> rows) =>
        new PublishSubsidyCertificates
        {
            MunicipalityCode = batch.MunicipalityCode,
            BatchId = batch.BatchId,
            PartIndex = partIndex,
            PartCount = partCount,
            RowCount = rowCount,
            Rows = rows.Select(r => new PublishedCertificateRow(r.Index, r.Item)).ToList(),
        };
}
