using FluentValidation;
using Pmh.Contracts.Identifiers;

namespace Pmh.Modules.Batches;

/// <summary>
/// One kind of municipal batch (subsidy certificates, vaccination records, pregnancies, …): how its rows are read and
/// validated, which field must be unique within a batch, how a row becomes the bus item (the My Number becomes a person
/// key here and goes no further), and which message carries a part to the owning service. Its kind registers it with
/// <see cref="HubModuleExtensions.AddBatchKind{TKind, TRow, TItem, TPart}"/>; the gateway does the rest.
/// </summary>
public interface IBatchKind<TRow, TItem> where TRow : class
{
    /// <summary>The kind's name: in the batch status, and the last segment of its upload route.</summary>
    string Kind { get; }

    /// <summary>The JSON array that holds the rows (<c>certificates</c>, <c>records</c>).</summary>
    string RowsField { get; }

    /// <summary>The kind as the municipality page names it (e.g. 受給者証 / Subsidy certificates); its route name when not given.</summary>
    Pages.LocalText Title => Pages.LocalText.Same(Kind);

    IValidator<TRow> Validator { get; }

    /// <summary>The field that identifies a row within a batch, and its value.</summary>
    (string Field, string Value) UniqueKey(TRow row);

    TItem Convert(MunicipalityCode municipality, TRow row);

    /// <summary>The queue of the service that applies this kind of batch.</summary>
    Uri Destination { get; }

    object Part(BatchRecord batch, int partIndex, int partCount, int rowCount, IReadOnlyList<(int Index, TItem Item)> rows);

    /// <summary>
    /// The rows (already valid by <see cref="Validator"/>) that name something the owning service must hold and does not
    /// (a child naming a pregnancy never registered): one rejection each. Asked once per batch, before anything is
    /// recorded; a kind without such references has none.
    /// </summary>
    Task<IReadOnlyList<RowRejection>> CheckReferencesAsync(
        IServiceProvider services, MunicipalityCode municipality, IReadOnlyList<(int Index, TItem Item)> rows, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RowRejection>>([]);

    /// <summary>Whether the kind also takes <c>text/csv</c> (read by <see cref="ReadCsv"/>).</summary>
    bool AcceptsCsv => false;

    /// <summary>How the kind's CSV is read (a streamed upload reads it with <see cref="StreamedCsvBatch"/>); null for JSON only.</summary>
    IBatchCsvLayout<TRow>? CsvLayout => null;

    /// <summary>Reads a whole CSV body; <see cref="MalformedBatchException"/> when it is not a batch at all.</summary>
    SubmittedBatch<TRow> ReadCsv(ReadOnlyMemory<byte> body, string? batchId) =>
        CsvLayout is { } layout
            ? StreamedCsvBatch.ReadWhole(body, batchId, layout)
            : throw new NotSupportedException($"Batches of {Kind} are JSON only.");
}
