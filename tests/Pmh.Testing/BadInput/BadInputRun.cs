using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CsCheck;

namespace Pmh.Testing.BadInput;

/// <summary>One generated request: an operation and the mutations applied to a request of it that would succeed.</summary>
public sealed record BadInputCase(int Number, int Operation, IReadOnlyList<int> Mutations);

/// <summary>A request the hub answered wrongly: a 5xx, a 2xx to a request that is certainly wrong, or a refused batch that was stored.</summary>
public sealed record BadInputFailure(string Operation, string Mutations, string Request, int Status, string Problem, string Answer);

public sealed record BadInputReport(int Cases, int Requests, int InvalidCases, IReadOnlyDictionary<int, int> ByStatus, IReadOnlyList<BadInputFailure> Failures, int DistinctPairs)
{
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Cases} generated requests ({InvalidCases} certainly invalid, {DistinctPairs} operation × mutation pairs), {Requests} requests in all");
        text.Append(" — by status: ").AppendJoin(", ", ByStatus.OrderBy(s => s.Key).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}: {s.Value}")));
        text.AppendLine().Append(CultureInfo.InvariantCulture, $"{Failures.Count} failures");
        foreach (var group in Failures.GroupBy(f => (f.Operation, f.Problem, f.Status)).Take(80))
        {
            var first = group.First();
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {first.Problem} {first.Status} × {group.Count()}: {first.Operation} [{first.Mutations}] {first.Request} → {first.Answer}");
        }

        return text.ToString();
    }
}

/// <summary>
/// The generated bad-input run: every operation × every mutation once, then random combinations of up to three mutations
/// (CsCheck's generators from a fixed seed, so a run is reproducible), sent with a few requests in flight.
/// </summary>
public static class BadInputRun
{
    /// <summary>The seed of the random part: the same seed gives the same requests.</summary>
    public const ulong Seed = 20261203;

    public static IReadOnlyList<BadInputCase> Cases(IReadOnlyList<int> mutationCounts, int total)
    {
        ArgumentNullException.ThrowIfNull(mutationCounts);
        var cases = new List<BadInputCase>();
        for (var op = 0; op < mutationCounts.Count; op++)
        {
            for (var m = 0; m < mutationCounts[op]; m++)
            {
                cases.Add(new BadInputCase(cases.Count, op, [m]));
            }
        }

        var combination =
            from op in Gen.Int[0, mutationCounts.Count - 1]
            from mutations in Gen.Int[1, mutationCounts[op] - 1].Array[1, 3]
            select (op, mutations);
        var random = combination.Array[Math.Max(0, total - cases.Count)].Generate(new PCG(14, Seed), null, out _);
        foreach (var (op, mutations) in random)
        {
            cases.Add(new BadInputCase(cases.Count, op, [.. mutations.Distinct()]));
        }

        return cases;
    }

    public static async Task<BadInputReport> RunAsync(BadInputSession session, int total, int inFlight = 8, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        var operations = BadInputOperations.All;
        var mutations = operations.Select(o => BadInputMutations.For(o, session)).ToList();
        var cases = Cases([.. mutations.Select(m => m.Count)], total);
        var failures = new ConcurrentBag<BadInputFailure>();
        var byStatus = new ConcurrentDictionary<int, int>();
        var requests = 0;
        var invalidCases = 0;
        var done = 0;
        var client = session.Target.ClientFor(null);

        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (@case, cancellationToken) =>
        {
            var operation = operations[@case.Operation];
            var chosen = Choose(mutations[@case.Operation], @case.Mutations);
            var request = await operation.Valid(session, @case.Number).ConfigureAwait(false);
            foreach (var mutation in chosen)
            {
                mutation.Apply(request);
            }

            var batchId = operation.IsBatch ? BatchIdOf(request) : null;
            var invalid = chosen.Any(m => m.Invalid);
            if (invalid)
            {
                Interlocked.Increment(ref invalidCases);
            }

            var (status, answer) = await SendAsync(client, request, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref requests);
            byStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
            var labels = string.Join(" + ", chosen.Select(m => m.Label));
            var described = $"{request.Method} {Shorten(request.Path(), 160)}";
            if (status >= 500)
            {
                failures.Add(new(operation.Name, labels, described, status, "5xx", Shorten(answer, 300)));
            }
            else if (invalid && status is >= 200 and < 300)
            {
                failures.Add(new(operation.Name, labels, described, status, "accepted invalid", Shorten(answer, 300)));
            }

            if (batchId is not null && status is >= 400 and < 500)
            {
                var stored = await client.SendAsync(Get($"/api/v1/batches/{Uri.EscapeDataString(batchId)}", PmhHubFactory.ChiyodaKey), cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref requests);
                if (stored.StatusCode != HttpStatusCode.NotFound)
                {
                    failures.Add(new(operation.Name, labels, described, (int)stored.StatusCode, "refused batch stored", batchId));
                }
            }

            var count = Interlocked.Increment(ref done);
            if (count % 2000 == 0)
            {
                progress?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{count} of {cases.Count} requests, {failures.Count} failures"));
            }
        }).ConfigureAwait(false);

        var pairs = cases.Where(c => c.Mutations.Count == 1).Count();
        return new BadInputReport(cases.Count, requests, invalidCases, byStatus.ToDictionary(), [.. failures], pairs);
    }

    /// <summary>At most one mutation per target; a mutation that replaces the body drops the field mutations it overrides.</summary>
    private static List<BadInputMutation> Choose(IReadOnlyList<BadInputMutation> catalogue, IReadOnlyList<int> indices)
    {
        var chosen = new List<BadInputMutation>();
        foreach (var mutation in indices.Select(i => catalogue[i]))
        {
            if (chosen.All(m => m.Target != mutation.Target))
            {
                chosen.Add(mutation);
            }
        }

        if (chosen.Any(m => m.ReplacesBody))
        {
            chosen.RemoveAll(m => !m.ReplacesBody && !m.Target.StartsWith('(') && !m.Target.StartsWith('{') && !m.Target.StartsWith('?'));
        }

        // A CSV cell's change first (on the UTF-8 text), then the body's (its encoding), then the content type, key and
        // the rest, which apply to the body as sent.
        return [.. chosen.OrderBy(m => m.Target == "(csv cell)" ? -1 : m.ReplacesBody ? 0 : 1)];
    }

    private static string? BatchIdOf(BadInputRequest request)
    {
        if (request.RawBody is null && request.Body?["batchId"] is { } node)
        {
            return node.GetValueKind() == System.Text.Json.JsonValueKind.String && node.GetValue<string>() == request.BatchId ? request.BatchId : null;
        }

        return request.BatchId;
    }

    private static HttpRequestMessage Get(string path, string key)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, path);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return message;
    }

    private static async Task<(int Status, string Answer)> SendAsync(HttpClient client, BadInputRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path());
        if (request.Authorization is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", request.Authorization);
        }

        var body = request.RawBody ?? (request.Body is null ? null : Encoding.UTF8.GetBytes(request.Body.ToJsonString()));
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.Remove("Content-Type");
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("null characters", StringComparison.Ordinal))
        {
            // The in-process test server decodes the path before the hub sees it; Kestrel answers such a request line 400.
            return (400, "(a NUL in the path: refused before the hub)");
        }

        using var _ = response;
        var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return ((int)response.StatusCode, answer);
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
