using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Pmh.Modules.Http;

/// <summary>Reads a request body up to a limit, whatever the server (Kestrel or a test host) enforces itself.</summary>
public static class RequestBody
{
    public sealed class TooLargeException(long limit) : Exception($"The body is larger than {limit} bytes.")
    {
        public long Limit { get; } = limit;
    }

    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpContext http, long limit, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > limit)
        {
            throw new TooLargeException(limit);
        }

        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream(http.Request.ContentLength is { } length ? (int)Math.Min(length, limit) : 81920);
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new TooLargeException(limit);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new TooLargeException(limit);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
