using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Identifiers;
using Pmh.Gateway.Storage;
using Pmh.Modules.Batches;
using Pmh.Modules.Participants;
using Pmh.Hosting.Outbox;
using Pmh.Hosting.Privacy;
using Pmh.Hosting.Storage;

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
/// Municipal batches of any kind: validates every row (refused rows are reported with index, field and reason),
/// records the batch idempotently by its id (the same content again changes nothing; other content under the same id
/// is a conflict) and sends the valid rows to the owning service in parts.
/// </summary>
public sealed partial class BatchPublisher(
    PersonKeys personKeys,
    BatchStore batches,
    [FromKeyedServices(GatewayServiceExtensions.DatabaseName)] ServiceDatabase database,
    GatewayOptions options,
    TimeProvider timeProvider,
    IServiceProvider services)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex BatchIdPattern();

    public async Task<PublishOutcome> PublishAsync<TRow, TItem>(
        IBatchKind<TRow, TItem> kind,
        Participant publisher,
        MunicipalityCode municipality,
        SubmittedBatch<TRow> submitted,
        CancellationToken cancellationToken)
        where TRow : class
    {
        if (submitted.BatchId is not null && !BatchIdPattern().IsMatch(submitted.BatchId))
        {
            return Invalid("batchId", "must be 1 to 64 characters of letters, digits, '.', '_' and '-'");
        }

        if (submitted.Rows.Count == 0)
        {
            return Invalid(kind.RowsField, "must contain at least one row");
        }

        if (submitted.Rows.Count > options.MaxBatchRows)
        {
            return Invalid(kind.RowsField, $"must contain at most {options.MaxBatchRows} rows; split the batch");
        }

        var (rows, rejections) = Validate(kind, municipality, submitted);
        if (rows.Count > 0)
        {
            var unresolved = await kind.CheckReferencesAsync(services, municipality, rows, cancellationToken).ConfigureAwait(false);
            if (unresolved.Count > 0)
            {
                var refused = unresolved.Select(r => r.Index).ToHashSet();
                rows.RemoveAll(r => refused.Contains(r.Index));
                rejections.AddRange(unresolved);
                rejections.Sort((a, b) => a.Index.CompareTo(b.Index));
            }
        }

        if (rows.Count == 0)
        {
            return new PublishOutcome.Invalid(rejections
                .GroupBy(r => string.IsNullOrEmpty(r.Field) ? $"{kind.RowsField}[{r.Index}]" : $"{kind.RowsField}[{r.Index}].{r.Field}")
                .ToDictionary(g => g.Key, g => g.Select(r => r.Reason).ToArray()));
        }

        var content = rows.Select(r => new { index = r.Index, item = (object?)r.Item }).ToList();
        var fingerprint = personKeys.Fingerprint(JsonSerializer.SerializeToUtf8Bytes(new { kind = kind.Kind, content, rejections }, Json));
        var batch = new BatchRecord
        {
            MunicipalityCode = municipality.Value,
            BatchId = submitted.BatchId ?? "auto-" + fingerprint[..32],
            Kind = kind.Kind,
            PublisherId = publisher.Id,
            Fingerprint = fingerprint,
            Status = BatchStatus.Accepted,
            RowCount = submitted.Rows.Count,
            ValidCount = rows.Count,
            Rejections = rejections,
            SubmittedAt = timeProvider.GetUtcNow(),
        };

        // The batch row and its parts' commands commit together (the parts in the gateway database's outbox, sent from
        // there, again after a crash). A repeat of a batch still in flight sends its parts again: services stage parts
        // idempotently and announce an applied batch again, so a repeat heals a batch whose result was lost.
        var conflict = false;
        var reopened = false;
        var (created, recorded) = await batches.TryCreateAsync(
            batch,
            async (connection, transaction, isNew, stored, ct) =>
            {
                if (!isNew && (stored.Fingerprint != fingerprint || stored.Kind != kind.Kind))
                {
                    conflict = true;
                    return;
                }

                if (stored.Status == BatchStatus.Failed)
                {
                    // Posted again after it failed (a deadline passed, or a part was dead-lettered): it is tried once
                    // more, from now; what was already staged is not staged twice.
                    await BatchStore.ReopenAsync(connection, transaction, stored, timeProvider.GetUtcNow(), ct).ConfigureAwait(false);
                    reopened = true;
                }
                else if (stored.Status != BatchStatus.Accepted)
                {
                    return;
                }

                var parts = rows.Chunk(Math.Max(1, options.BatchPartRows)).ToList();
                for (var i = 0; i < parts.Count; i++)
                {
                    await OutboxWriter.SendAsync(
                        database, connection, transaction, kind.Destination, kind.Part(stored, i, parts.Count, rows.Count, parts[i]), ct, timeProvider: timeProvider)
                        .ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
        if (conflict)
        {
            return new PublishOutcome.Conflict(batch.BatchId);
        }

        if (reopened)
        {
            recorded = await batches.GetAsync(recorded.MunicipalityCode, recorded.BatchId, cancellationToken).ConfigureAwait(false) ?? recorded;
        }

        return new PublishOutcome.Accepted(recorded, IsRepeat: !created);
    }

    private static (List<(int Index, TItem Item)> Rows, List<RowRejection> Rejections) Validate<TRow, TItem>(
        IBatchKind<TRow, TItem> kind, MunicipalityCode municipality, SubmittedBatch<TRow> submitted)
        where TRow : class
    {
        var rejections = new List<RowRejection>(submitted.Unreadable);
        var unreadable = submitted.Unreadable.Select(u => u.Index).ToHashSet();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var valid = new List<(int Index, TItem Item)>();

        for (var index = 0; index < submitted.Rows.Count; index++)
        {
            var row = submitted.Rows[index];
            if (row is null || unreadable.Contains(index))
            {
                continue;
            }

            var result = kind.Validator.Validate(row);
            if (!result.IsValid)
            {
                rejections.AddRange(result.Errors.Select(e => new RowRejection(index, e.PropertyName, e.ErrorMessage)));
                continue;
            }

            var (field, value) = kind.UniqueKey(row);
            if (seen.TryGetValue(value, out var first))
            {
                rejections.Add(new RowRejection(index, field, $"duplicates the {field} of row {first} in this batch"));
                continue;
            }

            seen.Add(value, index);
            valid.Add((index, kind.Convert(municipality, row)));
        }

        rejections.Sort((a, b) => a.Index.CompareTo(b.Index));
        return (valid, rejections);
    }

    private static PublishOutcome.Invalid Invalid(string field, string reason) =>
        new(new Dictionary<string, string[]> { [field] = [reason] });
}
