using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Pmh.Cli;

/// <summary>What a script can test: every row accepted, some rows refused, the batch refused or failed, the hub unreachable.</summary>
public static class ExitCodes
{
    public const int Accepted = 0;
    public const int SomeRowsRejected = 1;
    public const int RefusedOrFailed = 2;
    public const int HubUnreachable = 3;
}

/// <summary>
/// The <c>pmh</c> command line. The hub's address comes from <c>--hub</c> or <c>PMH_HUB_URL</c> (or <c>PMH_HUB</c>); the key
/// from <c>--key-file</c> or <c>PMH_API_KEY</c> (or <c>PMH_KEY</c>), never from the command line itself, where other users
/// of the machine could read it.
/// </summary>
public sealed class PmhCli(IAnsiConsole console, Func<Uri, HttpMessageHandler>? handler = null, Func<string, string?>? environment = null)
{
    /// <summary>The batch kinds, as the upload routes name them.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["subsidy-certificates", "vaccination-records", "pregnancies", "children"];

    private static readonly Dictionary<string, string> Feeds = new(StringComparer.Ordinal)
    {
        ["vaccination"] = "vaccination-events",
        ["maternal-child"] = "maternal-child-events",
    };

    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    /// <summary>How long to wait between two looks at a batch or a followed feed.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public static Task<int> Main(string[] args) => new PmhCli(AnsiConsole.Console).RunAsync(args, CancellationToken.None);

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var hub = new Option<string?>("--hub") { Description = "The hub's base address (default: PMH_HUB_URL, PMH_HUB, http://localhost:5080)" };
        var keyFile = new Option<FileInfo?>("--key-file") { Description = "A file holding the API key (default: PMH_API_KEY or PMH_KEY)" };
        var root = new RootCommand("The PMH Hub command line: municipal uploads, batches, rejected rows and feeds.");
        root.Options.Add(hub);
        root.Options.Add(keyFile);
        hub.Recursive = true;
        keyFile.Recursive = true;

        var file = new Argument<FileInfo>("file") { Description = "A CSV (.csv) or JSON file of any size; it is streamed" };
        var kind = new Option<string>("--kind") { Description = "subsidy-certificates, vaccination-records, pregnancies or children", Required = true };
        kind.AcceptOnlyFromAmong([.. Kinds]);
        var municipality = new Option<string>("--municipality", "-m") { Description = "The municipality code (6 digits)", Required = true };
        var batchId = new Option<string?>("--batch-id") { Description = "The batch id (default: the file's own, or derived from its content)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Stop once the hub accepted the batch, without waiting for it to be applied" };
        var rejectionsOut = new Option<FileInfo?>("--rejections", "-r") { Description = "Where to write refused rows as CSV (default: beside the file, FILE.rejections.csv)" };
        var publish = new Command("publish", "Upload a batch file with a progress bar, wait until it is applied, write its refused rows beside it")
        {
            file, kind, municipality, batchId, noWait, rejectionsOut,
        };
        publish.SetAction((parse, ct) => Guard(() => PublishAsync(
            Connect(parse.GetValue(hub), parse.GetValue(keyFile)),
            parse.GetValue(file)!,
            parse.GetValue(kind)!,
            parse.GetValue(municipality)!,
            parse.GetValue(batchId),
            !parse.GetValue(noWait),
            parse.GetValue(rejectionsOut),
            ct)));

        var id = new Argument<string>("id") { Description = "The batch id" };
        var batch = new Command("batch", "Show a batch: status, counts, progress") { id };
        batch.SetAction((parse, ct) => Guard(() => BatchAsync(Connect(parse.GetValue(hub), parse.GetValue(keyFile)), parse.GetValue(id)!, ct)));

        var output = new Option<FileInfo>("--output", "-o") { Description = "The CSV file to write", Required = true };
        var rejections = new Command("rejections", "Download a batch's refused rows as CSV") { id, output };
        rejections.SetAction((parse, ct) => Guard(() => RejectionsAsync(
            Connect(parse.GetValue(hub), parse.GetValue(keyFile)), parse.GetValue(id)!, parse.GetValue(output)!, ct)));

        var feedName = new Argument<string>("feed") { Description = "vaccination or maternal-child" };
        feedName.AcceptOnlyFromAmong([.. Feeds.Keys]);
        var after = new Option<long>("--after") { Description = "The cursor to read after (0: from the start)", DefaultValueFactory = _ => 0 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep reading as new events arrive (Ctrl-C stops)" };
        var feedMunicipality = new Option<string>("--municipality", "-m") { Description = "The municipality code (6 digits)", Required = true };
        var feedOutput = new Option<FileInfo?>("--output", "-o") { Description = "A JSONL file to append the events to (default: standard output)" };
        var feed = new Command("feed", "Read a municipality's feed from a cursor, one JSON event per line") { feedName, feedMunicipality, after, follow, feedOutput };
        feed.SetAction((parse, ct) => Guard(() => FeedAsync(
            Connect(parse.GetValue(hub), parse.GetValue(keyFile)),
            Feeds[parse.GetValue(feedName)!],
            parse.GetValue(feedMunicipality)!,
            parse.GetValue(after),
            parse.GetValue(follow),
            parse.GetValue(feedOutput),
            ct)));

        root.Subcommands.Add(publish);
        root.Subcommands.Add(batch);
        root.Subcommands.Add(rejections);
        root.Subcommands.Add(feed);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                console.MarkupLineInterpolated($"[red]{error.Message}[/]");
            }

            return ExitCodes.RefusedOrFailed;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> Guard(Func<Task<int>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (HubUnreachableException e)
        {
            console.MarkupLineInterpolated($"[red]hub unreachable:[/] {e.Message}");
            return ExitCodes.HubUnreachable;
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            console.MarkupLineInterpolated($"[red]hub unreachable:[/] {e.Message}");
            return ExitCodes.HubUnreachable;
        }
        catch (UsageException e)
        {
            console.MarkupLineInterpolated($"[red]{e.Message}[/]");
            return ExitCodes.RefusedOrFailed;
        }
    }

    private HttpClient Connect(string? hub, FileInfo? keyFile)
    {
        var address = hub ?? _environment("PMH_HUB_URL") ?? _environment("PMH_HUB") ?? "http://localhost:5080";
        if (!Uri.TryCreate(address.EndsWith('/') ? address : address + "/", UriKind.Absolute, out var baseAddress))
        {
            throw new UsageException($"--hub: '{address}' is not an absolute URL");
        }

        string? key;
        if (keyFile is not null)
        {
            key = keyFile.Exists ? File.ReadAllText(keyFile.FullName).Trim() : throw new UsageException($"--key-file: {keyFile.FullName} does not exist");
        }
        else
        {
            key = _environment("PMH_API_KEY") ?? _environment("PMH_KEY");
        }

        if (string.IsNullOrWhiteSpace(key))
        {
            throw new UsageException("no API key: set PMH_API_KEY or give --key-file");
        }

        var http = new HttpClient(handler?.Invoke(baseAddress) ?? new SocketsHttpHandler(), disposeHandler: true)
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private async Task<int> PublishAsync(
        HttpClient http, FileInfo file, string kind, string municipality, string? batchId, bool wait, FileInfo? rejectionsFile, CancellationToken ct)
    {
        using (http)
        {
            if (!file.Exists)
            {
                throw new UsageException($"{file.FullName} does not exist");
            }

            var csv = file.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase);
            var path = $"api/v1/municipalities/{Uri.EscapeDataString(municipality)}/{kind}" + (batchId is null ? "" : $"?batchId={Uri.EscapeDataString(batchId)}");
            HttpResponseMessage response = null!;
            await Progress().StartAsync(async progress =>
            {
                var task = progress.AddTask($"sending {file.Name}", maxValue: Math.Max(1, file.Length));
                await using var stream = new ProgressStream(File.OpenRead(file.FullName), read => task.Increment(read));
                using var content = new StreamContent(stream, 256 * 1024);
                content.Headers.ContentType = new MediaTypeHeaderValue(csv ? "text/csv" : "application/json") { CharSet = "utf-8" };
                content.Headers.ContentLength = file.Length;
                response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Post, path) { Content = content }, ct).ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.Description = "read and validated by the hub";
                task.StopTask();
            }).ConfigureAwait(false);

            using (response)
            {
                var body = await ReadJsonAsync(response, ct).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    return Refused(response, body);
                }

                var id = (string)body!["batchId"]!;
                console.MarkupLineInterpolated($"batch [bold]{id}[/] accepted: {(int?)body["progress"]?["rowsReceived"] ?? (int?)body["rowCount"]} rows received, {(int?)body["rejectedCount"]} refused");
                if (!wait)
                {
                    return ExitCodes.Accepted;
                }

                var final = await WaitAsync(http, id, body, ct).ConfigureAwait(false);
                return await ReportAsync(http, final, rejectionsFile ?? new FileInfo(file.FullName + ".rejections.csv"), ct).ConfigureAwait(false);
            }
        }
    }

    private async Task<JsonObject> WaitAsync(HttpClient http, string id, JsonObject batch, CancellationToken ct)
    {
        await Progress().StartAsync(async progress =>
        {
            var validated = (int?)batch["progress"]?["rowsValidated"] ?? 1;
            var task = progress.AddTask("applying", maxValue: Math.Max(1, validated));
            task.IsIndeterminate = true;
            while ((string?)batch["status"] == "accepted")
            {
                await Task.Delay(PollInterval, ct).ConfigureAwait(false);
                using var response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Get, $"api/v1/batches/{Uri.EscapeDataString(id)}"), ct).ConfigureAwait(false);
                if (response.StatusCode is HttpStatusCode.ServiceUnavailable)
                {
                    continue;
                }

                batch = await ReadJsonAsync(response, ct).ConfigureAwait(false) ?? batch;
            }

            task.IsIndeterminate = false;
            task.Value = (int?)batch["progress"]?["rowsApplied"] ?? task.MaxValue;
            task.StopTask();
        }).ConfigureAwait(false);
        return batch;
    }

    private async Task<int> ReportAsync(HttpClient http, JsonObject batch, FileInfo rejectionsFile, CancellationToken ct)
    {
        var id = (string)batch["batchId"]!;
        var status = (string?)batch["status"];
        var rejected = (int?)batch["rejectedCount"] ?? 0;
        console.MarkupLineInterpolated($"batch [bold]{id}[/]: {status}, {(int?)batch["acceptedCount"] ?? 0} accepted, {rejected} refused");
        if (status == "failed")
        {
            console.MarkupLineInterpolated($"[red]{(string?)batch["failure"]}[/]");
            return ExitCodes.RefusedOrFailed;
        }

        if (rejected > 0)
        {
            await DownloadRejectionsAsync(http, id, rejectionsFile, ct).ConfigureAwait(false);
            console.MarkupLineInterpolated($"refused rows written to {rejectionsFile.FullName}");
            return ExitCodes.SomeRowsRejected;
        }

        return status == "completed" ? ExitCodes.Accepted : ExitCodes.RefusedOrFailed;
    }

    private async Task<int> BatchAsync(HttpClient http, string id, CancellationToken ct)
    {
        using (http)
        {
            using var response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Get, $"api/v1/batches/{Uri.EscapeDataString(id)}"), ct).ConfigureAwait(false);
            var body = await ReadJsonAsync(response, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return Refused(response, body);
            }

            var table = new Table().AddColumns("batch", "kind", "status", "received", "validated", "applied", "refused");
            table.AddRow(
                Markup.Escape((string?)body!["batchId"] ?? ""),
                Markup.Escape((string?)body["kind"] ?? ""),
                Markup.Escape((string?)body["status"] ?? ""),
                $"{(int?)body["progress"]?["rowsReceived"]}",
                $"{(int?)body["progress"]?["rowsValidated"]}",
                $"{(int?)body["progress"]?["rowsApplied"]}",
                $"{(int?)body["rejectedCount"]}");
            console.Write(table);
            return (string?)body["status"] switch
            {
                "failed" => ExitCodes.RefusedOrFailed,
                _ when ((int?)body["rejectedCount"] ?? 0) > 0 => ExitCodes.SomeRowsRejected,
                _ => ExitCodes.Accepted,
            };
        }
    }

    private async Task<int> RejectionsAsync(HttpClient http, string id, FileInfo output, CancellationToken ct)
    {
        using (http)
        {
            var count = await DownloadRejectionsAsync(http, id, output, ct).ConfigureAwait(false);
            console.MarkupLineInterpolated($"{count} refused row line(s) written to {output.FullName}");
            return count > 0 ? ExitCodes.SomeRowsRejected : ExitCodes.Accepted;
        }
    }

    /// <summary>Writes the batch's refused rows (<c>Accept: text/csv</c> on the batch); how many lines besides the header.</summary>
    private static async Task<int> DownloadRejectionsAsync(HttpClient http, string id, FileInfo output, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/batches/{Uri.EscapeDataString(id)}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await SendAsync(http, request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new UsageException($"{(int)response.StatusCode} {response.ReasonPhrase}: {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        await File.WriteAllBytesAsync(output.FullName, bytes, ct).ConfigureAwait(false);
        return Math.Max(0, System.Text.Encoding.UTF8.GetString(bytes).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1);
    }

    private async Task<int> FeedAsync(HttpClient http, string route, string municipality, long after, bool follow, FileInfo? output, CancellationToken ct)
    {
        using (http)
        {
            await using var file = output is null ? null : new StreamWriter(output.FullName, append: true);
            var cursor = after;
            while (true)
            {
                using var response = await SendAsync(
                    http, new HttpRequestMessage(HttpMethod.Get, $"api/v1/municipalities/{Uri.EscapeDataString(municipality)}/{route}?after={cursor}&limit=500"), ct)
                    .ConfigureAwait(false);
                var page = await ReadJsonAsync(response, ct).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    return Refused(response, page);
                }

                var events = page?["events"]?.AsArray() ?? [];
                foreach (var e in events)
                {
                    var line = e!.ToJsonString();
                    if (file is null)
                    {
                        console.Profile.Out.Writer.WriteLine(line);
                    }
                    else
                    {
                        await file.WriteLineAsync(line.AsMemory(), ct).ConfigureAwait(false);
                    }
                }

                var next = (long?)page?["next"] ?? cursor;
                if (events.Count == 0 || next == cursor)
                {
                    if (!follow)
                    {
                        console.MarkupLineInterpolated($"[grey]next cursor: {cursor}[/]");
                        return ExitCodes.Accepted;
                    }

                    if (file is not null)
                    {
                        await file.FlushAsync(ct).ConfigureAwait(false);
                    }

                    try
                    {
                        await Task.Delay(PollInterval, ct).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return ExitCodes.Accepted;
                    }
                }

                cursor = next;
            }
        }
    }

    private int Refused(HttpResponseMessage response, JsonObject? problem)
    {
        if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
        {
            console.MarkupLineInterpolated($"[red]hub unavailable:[/] {(int)response.StatusCode} {(string?)problem?["detail"]}");
            return ExitCodes.HubUnreachable;
        }

        console.MarkupLineInterpolated($"[red]{(int)response.StatusCode} {(string?)problem?["title"] ?? response.ReasonPhrase}[/] {(string?)problem?["detail"]}");
        if (problem?["errors"] is JsonObject errors)
        {
            foreach (var (field, reasons) in errors.Take(50))
            {
                console.MarkupLineInterpolated($"  {field}: {string.Join("; ", reasons?.AsArray().Select(r => (string?)r) ?? [])}");
            }
        }

        return ExitCodes.RefusedOrFailed;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            throw new HubUnreachableException($"{http.BaseAddress}: {e.Message}");
        }
    }

    private static async Task<JsonObject?> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Spectre.Console.Progress Progress() => console.Progress()
        .AutoClear(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn(), new SpinnerColumn());

    private sealed class UsageException(string message) : Exception(message);

    private sealed class HubUnreachableException(string message) : Exception(message);

    /// <summary>A file read for upload, telling how many bytes went.</summary>
    private sealed class ProgressStream(Stream inner, Action<int> onRead) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            onRead(read);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            onRead(read);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
