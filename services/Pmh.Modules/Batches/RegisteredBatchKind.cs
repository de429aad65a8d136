using Microsoft.AspNetCore.Http;
using Pmh.Modules.Pages;

namespace Pmh.Modules.Batches;

/// <summary>
/// A kind of municipal batch as the municipality page sees it, whatever its row type: every kind a module registered
/// with <see cref="HubModuleExtensions.AddBatchKind{TKind, TRow, TItem, TPart}"/>, uploaded through the same
/// <see cref="IBatchUploads"/> as its API endpoint.
/// </summary>
public interface IRegisteredBatchKind
{
    /// <summary>The kind's name, as in its upload route and the batch status.</summary>
    string Kind { get; }

    LocalText Title { get; }

    /// <summary>The JSON array that holds the rows.</summary>
    string RowsField { get; }

    bool AcceptsCsv { get; }

    /// <summary>The upload of <paramref name="http"/>'s body (JSON, or CSV where the kind takes it), as the API endpoint does it: 202 or a problem.</summary>
    Task<IResult> UploadAsync(IBatchUploads uploads, string code, string? batchId, HttpContext http, CancellationToken cancellationToken);
}

internal sealed class RegisteredBatchKind<TRow, TItem>(IBatchKind<TRow, TItem> kind) : IRegisteredBatchKind
    where TRow : class
{
    public string Kind => kind.Kind;

    public LocalText Title => kind.Title;

    public string RowsField => kind.RowsField;

    public bool AcceptsCsv => kind.AcceptsCsv;

    public async Task<IResult> UploadAsync(IBatchUploads uploads, string code, string? batchId, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uploads);
        return (await uploads.UploadAsync(kind, code, batchId, http, cancellationToken).ConfigureAwait(false)).Result;
    }
}
