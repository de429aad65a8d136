using System.Text.Json;
using System.Text.RegularExpressions;
using MassTransit;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Subsidy;
using Pmh.Gateway.Participants;
using Pmh.Gateway.Storage;
using Pmh.Hosting.Privacy;

namespace Pmh.Gateway.Publishing;

public abstract record PublishOutcome
{
    /// <summary>The batch is recorded (now or by an earlier, identical submission) and on its way.</summary>
    public sealed record Accepted(BatchRecord Batch, bool IsRepeat) : PublishOutcome;

    /// <summary>Nothing could be stored; the errors name each field (<c>certificates[3].myNumber</c>) and reason.</summary>
    public sealed record Invalid(IDictionary<string, string[]> Errors) : PublishOutcome;

    /// <summary>The batch id was used before for different content.</summary>
    public sealed record Conflict(string BatchId) : PublishOutcome;
}

/// <summary>
/// Validates a municipality's batch of subsidy certificates, turns each My Number into a person key (the raw number
/// goes no further than this class), records the batch and sends it to the subsidy service in parts.
/// </summary>
public sealed partial class SubsidyBatchPublisher(
    PersonKeys personKeys,
    BatchStore batches,
    ISendEndpointProvider sendEndpoints,
    GatewayOptions options,
    TimeProvider timeProvider)
{
    public const string Kind = "subsidy-certificates";
    private static readonly SubsidyCertificateRowValidator Validator = new();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex BatchIdPattern();

    public async Task<PublishOutcome> PublishAsync(
        Participant publisher, MunicipalityCode municipality, SubmittedBatch submitted, CancellationToken cancellationToken)
    {
        if (submitted.BatchId is not null && !BatchIdPattern().IsMatch(submitted.BatchId))
        {
            return Invalid("batchId", "must be 1 to 64 characters of letters, digits, '.', '_' and '-'");
        }

        if (submitted.Rows.Count == 0)
        {
            return Invalid("certificates", "must contain at least one row");
        }

        if (submitted.Rows.Count > options.MaxBatchRows)
        {
            return Invalid("certificates", $"must contain at most {options.MaxBatchRows} rows; split the batch");
        }

        var (rows, rejections) = Validate(municipality, submitted);
        if (rows.Count == 0)
        {
            return new PublishOutcome.Invalid(rejections
                .GroupBy(r => string.IsNullOrEmpty(r.Field) ? $"certificates[{r.Index}]" : $"certificates[{r.Index}].{r.Field}")
                .ToDictionary(g => g.Key, g => g.Select(r => r.Reason).ToArray()));
        }

        var fingerprint = personKeys.Fingerprint(JsonSerializer.SerializeToUtf8Bytes(new { rows, rejections }, Json));
        var batch = new BatchRecord
        {
            MunicipalityCode = municipality.Value,
            BatchId = submitted.BatchId ?? "auto-" + fingerprint[..32],
            Kind = Kind,
            PublisherId = publisher.Id,
            Fingerprint = fingerprint,
            Status = BatchStatus.Accepted,
            RowCount = submitted.Rows.Count,
            ValidCount = rows.Count,
            Rejections = rejections,
            SubmittedAt = timeProvider.GetUtcNow(),
        };

        var (created, recorded) = await batches.TryCreateAsync(batch, cancellationToken).ConfigureAwait(false);
        if (!created && (recorded.Fingerprint != fingerprint || recorded.Kind != Kind))
        {
            return new PublishOutcome.Conflict(batch.BatchId);
        }

        // A repeat of a batch still in flight is sent again: the subsidy service stages parts idempotently, so this
        // heals a submission whose parts never left (a crash between recording and sending) and costs nothing else.
        if (recorded.Status == BatchStatus.Accepted)
        {
            await SendPartsAsync(recorded, rows, cancellationToken).ConfigureAwait(false);
        }

        return new PublishOutcome.Accepted(recorded, IsRepeat: !created);
    }

    private (List<PublishedCertificateRow> Rows, List<RowRejection> Rejections) Validate(
        MunicipalityCode municipality, SubmittedBatch submitted)
    {
        var rejections = new List<RowRejection>(submitted.Unreadable);
        var unreadable = submitted.Unreadable.Select(u => u.Index).ToHashSet();
        var historyKeys = new Dictionary<string, int>(StringComparer.Ordinal);
        var valid = new List<(int Index, SubsidyCertificateRow Row)>();

        for (var index = 0; index < submitted.Rows.Count; index++)
        {
            var row = submitted.Rows[index];
            if (row is null || unreadable.Contains(index))
            {
                continue;
            }

            var result = Validator.Validate(row);
            if (!result.IsValid)
            {
                rejections.AddRange(result.Errors.Select(e => new RowRejection(index, e.PropertyName, e.ErrorMessage)));
                continue;
            }

            if (historyKeys.TryGetValue(row.HistoryKey!, out var first))
            {
                rejections.Add(new RowRejection(index, "historyKey", $"duplicates the historyKey of row {first} in this batch"));
                continue;
            }

            historyKeys.Add(row.HistoryKey!, index);
            valid.Add((index, row));
        }

        rejections.Sort((a, b) => a.Index.CompareTo(b.Index));
        return (valid.Select(v => new PublishedCertificateRow(v.Index, ToCertificate(municipality, v.Row))).ToList(), rejections);
    }

    private SubsidyCertificate ToCertificate(MunicipalityCode municipality, SubsidyCertificateRow row) => new()
    {
        MunicipalityCode = municipality.Value,
        HistoryKey = row.HistoryKey!,
        PersonKey = personKeys.For(MyNumber.Parse(row.MyNumber)),
        OrgSpecificCertificateTypeId = row.OrgSpecificCertificateTypeId!,
        BasicFiveInfo = new BasicFiveInfo(
            row.BasicFiveInfo!.Name!,
            row.BasicFiveInfo.NameKana!,
            row.BasicFiveInfo.Address!,
            SubsidyCertificateRowValidator.ParseDate(row.BasicFiveInfo.DateOfBirth)!.Value,
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
            : new MaxCopaymentAmount(int.Parse(row.MaxCopaymentAmount.MonthlyYen!, System.Globalization.CultureInfo.InvariantCulture)),
        ValidFrom = SubsidyCertificateRowValidator.ParseDate(row.ValidFrom)!.Value,
        ValidTo = SubsidyCertificateRowValidator.ParseDate(row.ValidTo)!.Value,
        IsDeleted = SubsidyCertificateRowValidator.ParseFlag(row.IsDeleted)!.Value,
        CertificationDetail = row.CertificationDetail?.Select(d => new CertificationDetailItem(d!.Label!, d.Value!)).ToList() ?? [],
    };

    private async Task SendPartsAsync(BatchRecord batch, List<PublishedCertificateRow> rows, CancellationToken cancellationToken)
    {
        var endpoint = await sendEndpoints.GetSendEndpoint(new Uri($"queue:{SubsidyQueues.PublishCertificates}")).ConfigureAwait(false);
        var size = Math.Max(1, options.BatchPartRows);
        var parts = rows.Chunk(size).ToList();
        for (var i = 0; i < parts.Count; i++)
        {
            await endpoint.Send(
                new PublishSubsidyCertificates
                {
                    MunicipalityCode = batch.MunicipalityCode,
                    BatchId = batch.BatchId,
                    PartIndex = i,
                    PartCount = parts.Count,
                    RowCount = rows.Count,
                    Rows = parts[i],
                },
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static PublishOutcome.Invalid Invalid(string field, string reason) =>
        new(new Dictionary<string, string[]> { [field] = [reason] });
}
