using System.Text;
using Pmh.Cli;
using Pmh.Testing;
using Spectre.Console;

namespace Pmh.Cli.Tests;

/// <summary>The <c>pmh</c> command line driven against a test hub (the factory's in-process handler), as a script would run it.</summary>
public sealed class PmhCliTests : IAsyncLifetime, IDisposable
{
    private readonly PmhHubFactory _hub = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("pmh-cli-tests-").FullName;
    private readonly StringWriter _output = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    public void Dispose()
    {
        _output.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<int> Run(params string[] args) => RunWithKey(PmhHubFactory.ChiyodaKey, args);

    private Task<int> RunWithKey(string? key, params string[] args)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_output),
        });
        var environment = new Dictionary<string, string?> { ["PMH_API_KEY"] = key, ["PMH_HUB_URL"] = "http://hub.test" };
        var cli = new PmhCli(console, _ => _hub.Server.CreateHandler(), name => environment.GetValueOrDefault(name))
        {
            PollInterval = TimeSpan.FromMilliseconds(20),
        };
        return cli.RunAsync(args, CancellationToken.None);
    }

    private string File(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private static string Certificates(string batchId, params int[] seeds) =>
        Encoding.UTF8.GetString(TestData.CertificateBatchJson(seeds, batchId));

    [Fact]
    public async Task Publishing_a_file_whose_every_row_is_valid_waits_until_it_is_applied_and_exits_0()
    {
        var file = File("all.json", Certificates("cli-all", 1, 2, 3));

        var exit = await Run("publish", file, "--kind", "subsidy-certificates", "--municipality", TestData.Chiyoda);

        Assert.True(exit == ExitCodes.Accepted, _output.ToString());
        Assert.Contains("cli-all: completed, 3 accepted, 0 refused", _output.ToString(), StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(file + ".rejections.csv"));
    }

    [Fact]
    public async Task Publishing_a_file_with_a_refused_row_exits_1_and_writes_the_refused_rows_beside_it()
    {
        var rows = Certificates("cli-some", 10, 11).Replace(TestData.MyNumber(11), "123456789010", StringComparison.Ordinal);
        var file = File("some.json", rows);

        var exit = await Run("publish", file, "--kind", "subsidy-certificates", "--municipality", TestData.Chiyoda);

        Assert.Equal(ExitCodes.SomeRowsRejected, exit);
        var csv = await System.IO.File.ReadAllTextAsync(file + ".rejections.csv");
        Assert.Contains("1,myNumber,", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("123456789010", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_a_csv_file_streams_it_as_csv()
    {
        var header = "orgSpecificCertificateTypeId,myNumber,basicFiveInfo.name,basicFiveInfo.nameKana,basicFiveInfo.address,basicFiveInfo.dateOfBirth," +
            "basicFiveInfo.sex,isNotDisclosed,medicalSubsidyInsurerNumber,certificationName,medicalSubsidyRecipientNumber,isAlwaysReimbursement,validFrom,validTo,historyKey,isDeleted";
        var row = TestData.CertificateRow(TestData.MyNumber(20), "H-CSV-1");
        var five = row["basicFiveInfo"]!;
        var line = string.Join(',', (string?)row["orgSpecificCertificateTypeId"], (string?)row["myNumber"], (string?)five["name"], (string?)five["nameKana"],
            (string?)five["address"], (string?)five["dateOfBirth"], (string?)five["sex"], row["isNotDisclosed"]!.ToJsonString(), (string?)row["medicalSubsidyInsurerNumber"],
            (string?)row["certificationName"], (string?)row["medicalSubsidyRecipientNumber"], row["isAlwaysReimbursement"]!.ToJsonString(), (string?)row["validFrom"],
            (string?)row["validTo"], (string?)row["historyKey"], row["isDeleted"]!.ToJsonString());
        var file = File("one.csv", header + "\r\n" + line + "\r\n");

        var exit = await Run("publish", file, "--kind", "subsidy-certificates", "--municipality", TestData.Chiyoda, "--batch-id", "cli-csv");

        Assert.Equal(ExitCodes.Accepted, exit);
        Assert.Contains("cli-csv: completed, 1 accepted", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_a_file_with_no_row_that_can_be_stored_exits_2_with_the_fields_and_reasons()
    {
        var file = File("none.json", Certificates("cli-none", 30).Replace(TestData.MyNumber(30), "123456789010", StringComparison.Ordinal));

        var exit = await Run("publish", file, "--kind", "subsidy-certificates", "--municipality", TestData.Chiyoda);

        Assert.Equal(ExitCodes.RefusedOrFailed, exit);
        Assert.Contains("422", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("certificates[0].myNumber", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_for_another_municipality_exits_2()
    {
        var file = File("other.json", Certificates("cli-other", 40));

        var exit = await Run("publish", file, "--kind", "subsidy-certificates", "--municipality", TestData.Hachioji);

        Assert.Equal(ExitCodes.RefusedOrFailed, exit);
        Assert.Contains("403", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hub_that_cannot_be_reached_exits_3()
    {
        var file = File("any.json", Certificates("cli-down", 50));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(_output) });
        // A real socket to a port nothing listens on (port 1 on loopback: connection refused at once).
        var cli = new PmhCli(console, environment: name => name == "PMH_API_KEY" ? "any-key" : null);

        var exit = await cli.RunAsync(["publish", file, "--kind", "subsidy-certificates", "-m", TestData.Chiyoda, "--hub", "http://127.0.0.1:1"], CancellationToken.None);

        Assert.Equal(ExitCodes.HubUnreachable, exit);
        Assert.Contains("hub unreachable", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_key_the_command_line_refuses_to_start_and_exits_2()
    {
        var file = File("nokey.json", Certificates("cli-nokey", 60));

        var exit = await RunWithKey(null, "publish", file, "--kind", "subsidy-certificates", "--municipality", TestData.Chiyoda);

        Assert.Equal(ExitCodes.RefusedOrFailed, exit);
        Assert.Contains("PMH_API_KEY", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_batch_command_shows_the_progress_and_exits_1_when_rows_were_refused()
    {
        var file = File("b.json", Certificates("cli-batch", 70, 71).Replace(TestData.MyNumber(71), "123456789010", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.SomeRowsRejected, await Run("publish", file, "--kind", "subsidy-certificates", "-m", TestData.Chiyoda));

        var exit = await Run("batch", "cli-batch");

        Assert.Equal(ExitCodes.SomeRowsRejected, exit);
        Assert.Contains("completed", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_batch_command_exits_2_for_an_unknown_batch()
    {
        Assert.Equal(ExitCodes.RefusedOrFailed, await Run("batch", "no-such-batch"));
        Assert.Contains("404", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rejections_command_writes_the_refused_rows_as_csv()
    {
        var file = File("r.json", Certificates("cli-rej", 80, 81).Replace(TestData.MyNumber(80), "123456789010", StringComparison.Ordinal));
        await Run("publish", file, "--kind", "subsidy-certificates", "-m", TestData.Chiyoda, "--no-wait");
        var output = Path.Combine(_folder, "out.csv");

        var exit = await Run("rejections", "cli-rej", "-o", output);

        Assert.Equal(ExitCodes.SomeRowsRejected, exit);
        var csv = await System.IO.File.ReadAllTextAsync(output);
        Assert.StartsWith("row,field,reason", csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains("0,myNumber,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_feed_command_reads_from_a_cursor_and_tells_the_next_one()
    {
        var exit = await Run("feed", "vaccination", "-m", TestData.Chiyoda, "--after", "0");

        Assert.Equal(ExitCodes.Accepted, exit);
        Assert.Contains("next cursor: 0", _output.ToString(), StringComparison.Ordinal);
    }
}
