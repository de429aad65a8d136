using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Pmh.Fuzz;
using SharpFuzz;

// Pmh.Fuzz: the CSV reader and the card certificate parser under hostile input (README "Fuzzing").
//
//   Pmh.Fuzz [--seconds N] [--seed S] [--only TARGET] [--corpus DIR] [--out DIR]
//       the bounded run of infra/test.sh: for each target, the corpus files and then deterministic mutations of them
//       (seeded; the same seed gives the same inputs in the same order) for N seconds (default 20). Last line:
//       "fuzz: N passed, N failed", one count per target.
//   Pmh.Fuzz --afl TARGET        under afl-fuzz, on assemblies instrumented with `sharpfuzz` (SharpFuzz.CommandLine).
//   Pmh.Fuzz --libfuzzer TARGET  under libfuzzer-dotnet, likewise instrumented.
//   Pmh.Fuzz --replay TARGET FILE  one input, e.g. a finding saved by an earlier run.
//   Pmh.Fuzz --make-corpus DIR   writes the certificate corpus (a card, an expired card, a CA, the trusted issuer).
var options = Options.Parse(args);
if (options.MakeCorpus is { } corpusDir)
{
    CertificateCorpus.Write(corpusDir);
    return 0;
}

var targets = Targets(options.CorpusDirectory);
if (options.Afl is { } afl)
{
    var target = Find(targets, afl);
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        RunGuarded(target, buffer.ToArray());
    });
    return 0;
}

if (options.LibFuzzer is { } libFuzzer)
{
    var target = Find(targets, libFuzzer);
    Fuzzer.LibFuzzer.Run(span => RunGuarded(target, span.ToArray()));
    return 0;
}

if (options.Replay is { } replay)
{
    var target = Find(targets, replay.Target);
    var input = File.ReadAllBytes(replay.File);
    try
    {
        target.Run(input);
        Console.WriteLine($"{target.Name}: the input is taken");
    }
    catch (Exception e) when (target.IsDocumentedRefusal(e))
    {
        Console.WriteLine($"{target.Name}: the input is refused as documented: {e.Message}");
    }

    return 0;
}

var passed = 0;
var failed = 0;
foreach (var target in targets.Where(t => options.Only is null || t.Name == options.Only))
{
    var outcome = new Campaign(target, options).Run();
    if (outcome)
    {
        passed++;
    }
    else
    {
        failed++;
    }
}

Console.WriteLine($"fuzz: {passed} passed, {failed} failed");
return failed == 0 ? 0 : 1;

static IReadOnlyList<IFuzzTarget> Targets(string corpus)
{
    var trusted = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(corpus, "trusted-issuer.der"));
    return [new SubsidyCsvTarget(), new CardCertificateTarget(trusted)];
}

static IFuzzTarget Find(IReadOnlyList<IFuzzTarget> targets, string name) =>
    targets.FirstOrDefault(t => t.Name == name)
    ?? throw new ArgumentException($"No fuzz target '{name}'; there are {string.Join(", ", targets.Select(t => t.Name))}.");

// Under afl or libFuzzer a documented refusal is a normal outcome; anything else must crash the process to be found.
static void RunGuarded(IFuzzTarget target, byte[] input)
{
    try
    {
        target.Run(input);
    }
    catch (Exception e) when (target.IsDocumentedRefusal(e))
    {
    }
}

internal sealed record Options(
    int Seconds, int Seed, string? Only, string CorpusDirectory, string OutDirectory, string? Afl, string? LibFuzzer,
    (string Target, string File)? Replay, string? MakeCorpus)
{
    public static Options Parse(string[] args)
    {
        var seconds = 20;
        var seed = 14;
        string? only = null, afl = null, libFuzzer = null, makeCorpus = null;
        (string, string)? replay = null;
        var corpus = Path.Combine(AppContext.BaseDirectory, "corpus");
        var output = Path.Combine(Directory.GetCurrentDirectory(), "TestResults", "fuzz");
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--seconds": seconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--only": only = Next(); break;
                case "--corpus": corpus = Next(); break;
                case "--out": output = Next(); break;
                case "--afl": afl = Next(); break;
                case "--libfuzzer": libFuzzer = Next(); break;
                case "--replay": replay = (Next(), Next()); break;
                case "--make-corpus": makeCorpus = Next(); break;
                default: throw new ArgumentException($"Unknown argument {args[i]}");
            }
        }

        return new Options(seconds, seed, only, corpus, output, afl, libFuzzer, replay, makeCorpus);
    }
}

/// <summary>
/// One target's bounded run: every corpus file as it is, then seeded mutations until the time is up. The first
/// finding (an exception that is not a documented refusal, or an input that runs longer than 10 s) ends the target's
/// run: it is printed (exception and input as base64) and saved under the output folder.
/// </summary>
internal sealed class Campaign(IFuzzTarget target, Options options)
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    public bool Run()
    {
        var folder = Path.Combine(options.CorpusDirectory, target.Corpus);
        var corpus = Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        if (corpus.Count == 0)
        {
            Console.WriteLine($"{target.Name}: FAILED: no corpus in {folder}");
            return false;
        }

        var mutator = new Mutator(options.Seed, corpus, target.Dictionary);
        var clock = Stopwatch.StartNew();
        var budget = TimeSpan.FromSeconds(options.Seconds);
        long inputs = 0, refused = 0;
        var current = Array.Empty<byte>();
        var inputWatch = new Stopwatch();
        using var watchdog = new Timer(
            _ =>
            {
                if (inputWatch.IsRunning && inputWatch.Elapsed > Hang)
                {
                    Report("ran longer than " + Hang.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s", Volatile.Read(ref current), null);
                    Console.WriteLine("fuzz: 0 passed, 1 failed");
                    Environment.Exit(1);
                }
            },
            null,
            TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(1));

        while (inputs < corpus.Count || clock.Elapsed < budget)
        {
            var input = inputs < corpus.Count ? corpus[(int)inputs] : mutator.Next();
            Volatile.Write(ref current, input);
            inputs++;
            inputWatch.Restart();
            try
            {
                target.Run(input);
            }
            catch (Exception e) when (target.IsDocumentedRefusal(e))
            {
                refused++;
            }
            catch (Exception e)
            {
                inputWatch.Stop();
                Report($"threw {e.GetType().Name} on input {inputs}", input, e);
                return false;
            }

            inputWatch.Stop();
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{target.Name}: passed: {inputs} inputs ({corpus.Count} corpus files, seed {options.Seed}) in {clock.Elapsed.TotalSeconds:0.0} s, {refused} refused as documented, no other exception"));
        return true;
    }

    private void Report(string what, byte[] input, Exception? exception)
    {
        Directory.CreateDirectory(options.OutDirectory);
        var file = Path.Combine(options.OutDirectory, $"{target.Name}-finding.bin");
        File.WriteAllBytes(file, input);
        Console.WriteLine($"{target.Name}: FAILED: {what} (seed {options.Seed}); saved as {file}; replay with --replay {target.Name} {file}");
        Console.WriteLine($"{target.Name}: input (base64): {Convert.ToBase64String(input)}");
        if (exception is not null)
        {
            Console.WriteLine(exception);
        }
    }
}
