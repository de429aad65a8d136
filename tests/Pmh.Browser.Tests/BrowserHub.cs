using System.Net;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Pmh.Testing;

namespace Pmh.Browser.Tests;

/// <summary>
/// The hub on Kestrel on a free loopback port (a browser needs real HTTP; <see cref="PmhHubFactory"/> with
/// <c>UseKestrel</c>), in Development so that the demo data (demo participants, cards and certificates) is there as a
/// newcomer finds it, the test participants too; and Debian's Chromium driven by Playwright. Chromium is <c>/usr/bin/chromium</c> or
/// <c>PMH_CHROMIUM</c>; without it every test says it was skipped and why (<c>infra/test.sh</c> installs it).
/// With <c>PMH_SCREENSHOTS=folder</c> the tests also save a PNG of each page they assert on.
/// </summary>
public sealed class BrowserHub : IAsyncLifetime
{
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("PMH_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public BrowserHub()
    {
        WhyNotAvailable = File.Exists(ChromiumPath)
            ? null
            : $"no Chromium at {ChromiumPath} (apt-get install chromium, or set PMH_CHROMIUM; infra/test.sh installs it)";
    }

    /// <summary>Why the browser tests cannot run here, or null.</summary>
    public string? WhyNotAvailable { get; }

    public PmhHubFactory TestHub { get; } = new();

    /// <summary>The hub the browser talks to: <see cref="TestHub"/> in Development.</summary>
    public WebApplicationFactory<Program> Hub { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(WhyNotAvailable ?? "The browser is not started.");

    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (WhyNotAvailable is not null)
        {
            return;
        }

        Hub = TestHub.WithWebHostBuilder(b => b.UseEnvironment("Development"));
        Hub.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        Hub.StartServer();
        var address = Hub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");

        Assertions.SetDefaultExpectTimeout(90_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root (CI), Chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Hub is not null)
        {
            await Hub.DisposeAsync();
        }

        await TestHub.DisposeAsync();
    }

    /// <summary>A fresh browser (no cookies), Japanese, at the hub's address; downloads allowed.</summary>
    public async Task<IPage> NewPageAsync(bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = "ja-JP",
            AcceptDownloads = true,
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = 1024, Height = 768 },
        });
        // Waits, not assertions on time: the machine may be busy with other builds (the hub answers when it answers).
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in on the sign-in page with a participant's API key, as a member of staff does.</summary>
    public static async Task SignInAsync(IPage page, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/sign-in");
        await page.FillAsync("#apiKey", apiKey);
        await page.ClickAsync("#sign-in");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    /// <summary>The demo participants' keys (Development), as the README gives them to a newcomer.</summary>
    public const string DemoMunicipalityKey = "pmh-demo-municipality-131016";

    public const string DemoOperatorKey = "pmh-demo-operator";

    public const string DemoClinicKey = "pmh-demo-clinic-1310123458";

    /// <summary>Waits until the demo data has made the demo cards (the simulated reader lists them from /demo/cards).</summary>
    public async Task WaitForDemoCardsAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        await Eventually.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync(new Uri("/demo/cards", UriKind.Relative)).ConfigureAwait(false);
                return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            },
            body => body.Contains("yamada", StringComparison.Ordinal) && body.Contains("kobayashi", StringComparison.Ordinal),
            "the demo cards",
            TimeSpan.FromSeconds(90));
    }

    /// <summary>Japan's date today, as the hub's rules see it.</summary>
    public static string TodayInJapan() =>
        DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The page has no serious or critical accessibility violation (axe-core, WCAG 2.1 A and AA rules).</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(
            bad.Count == 0,
            $"{page.Url}: " + string.Join("; ", bad.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    /// <summary>With <c>PMH_SCREENSHOTS</c> set, a PNG of the top of the page under that folder.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (Environment.GetEnvironmentVariable("PMH_SCREENSHOTS") is not { Length: > 0 } folder)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        // The top of the page, small enough for the README (each PNG under 150 KB).
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(folder, name + ".png"),
            Clip = new Clip { X = 0, Y = 0, Width = 1024, Height = 700 },
        });
    }

    /// <summary>A file of the repository (the demo data), found from the test's output folder up.</summary>
    public static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pmh.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new FileNotFoundException($"No Pmh.sln above {AppContext.BaseDirectory}", relative);
    }
}
