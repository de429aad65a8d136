using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pmh.Testing;

namespace Pmh.Browser.Tests;

/// <summary>The desk and the citizen's page with the demo cards of Development, signed in the browser by the simulated reader.</summary>
public sealed partial class DeskPagesTests(BrowserHub hub) : IClassFixture<BrowserHub>
{
    private const string ClinicKey = BrowserHub.DemoClinicKey;
    private const string YamadasCertificate = "千代田区子ども医療費助成受給者証";

    [SkippableFact]
    public async Task A_desk_clerk_checks_yamada_s_card_and_records_a_co_payment()
    {
        Skip.If(hub.WhyNotAvailable is not null, hub.WhyNotAvailable);
        await hub.WaitForDemoCardsAsync();
        var page = await hub.NewPageAsync();
        await BrowserHub.SignInAsync(page, ClinicKey);
        Assert.EndsWith("/desk", page.Url, StringComparison.Ordinal);
        await BrowserHub.AssertAccessibleAsync(page);
        await BrowserHub.ScreenshotAsync(page, "desk");

        await CheckUntilCertificateShownAsync(page, () => ReadCardAsync(page, "yamada"));
        Assert.Equal("provided", await page.GetAttributeAsync("#part-subsidy", "data-status"));
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", await page.InnerTextAsync("#person-birth-date"));
        await BrowserHub.AssertAccessibleAsync(page);

        await page.FillAsync("#subsidy-copayment-amountYen", "1800");
        await page.ClickAsync("#subsidy-copayment-submit");
        var outcome = await page.InnerTextAsync("#subsidy-copayment-outcome");
        Assert.Matches(ChargedPattern(), outcome);
        await BrowserHub.AssertAccessibleAsync(page);
        await BrowserHub.ScreenshotAsync(page, "desk-check");
    }

    [SkippableFact]
    public async Task A_citizen_proves_their_card_and_reads_that_the_clinic_looked_at_their_certificate()
    {
        Skip.If(hub.WhyNotAvailable is not null, hub.WhyNotAvailable);
        await hub.WaitForDemoCardsAsync();
        var desk = await hub.NewPageAsync();
        await BrowserHub.SignInAsync(desk, ClinicKey);
        await CheckUntilCertificateShownAsync(desk, () => ReadCardAsync(desk, "yamada"));

        var citizen = await hub.NewPageAsync();
        await citizen.GotoAsync("/me");
        await BrowserHub.AssertAccessibleAsync(citizen);
        await BrowserHub.ScreenshotAsync(citizen, "me");
        // The desk's check reaches the audit log through the bus: read the log until it is there.
        var log = await Eventually.UntilAsync(
            async () =>
            {
                await citizen.GotoAsync("/me");
                await ProveAsync(citizen, "yamada");
                return await citizen.InnerTextAsync("#access-log");
            },
            text => text.Contains("Kanda Demo Clinic", StringComparison.Ordinal) && text.Contains("医療費助成の受給者証", StringComparison.Ordinal),
            "the clinic's check in yamada's access log",
            TimeSpan.FromSeconds(90));

        Assert.Contains("受付でのカード確認", log, StringComparison.Ordinal);
        Assert.Contains("表示されました", log, StringComparison.Ordinal);
        await BrowserHub.AssertAccessibleAsync(citizen);
        await BrowserHub.ScreenshotAsync(citizen, "me-log");
    }

    [SkippableFact]
    public async Task A_desk_clerk_does_the_whole_check_and_co_payment_with_the_keyboard_alone()
    {
        Skip.If(hub.WhyNotAvailable is not null, hub.WhyNotAvailable);
        await hub.WaitForDemoCardsAsync();
        var page = await hub.NewPageAsync();
        await page.GotoAsync("/sign-in");

        // The first stop of the keyboard is the skip link, then the sign-in form is reached by Tab.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("本文へ移動", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        await TabToAsync(page, "apiKey");
        await page.Keyboard.TypeAsync(ClinicKey);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/desk");

        await CheckUntilCertificateShownAsync(page, async () =>
        {
            await page.GotoAsync("/desk");
            await page.WaitForSelectorAsync("#demo-card option[value='yamada']", new() { State = WaitForSelectorState.Attached });
            // A checkbox is ticked with Space (the keyboard's way, as Enter submits).
            await TabToAsync(page, "consent-subsidy");
            await page.Keyboard.PressAsync("Space");
            Assert.True(await page.IsCheckedAsync("#consent-subsidy"));
            // A select takes the letter typed: "y" picks yamada.
            await TabToAsync(page, "demo-card");
            await page.Keyboard.TypeAsync("y");
            Assert.Equal("yamada", await page.InputValueAsync("#demo-card"));
            await TabToAsync(page, "read-card");
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForSelectorAsync("#check-id");
        });

        await TabToAsync(page, "subsidy-copayment-amountYen");
        await page.Keyboard.TypeAsync("1200");
        await page.Keyboard.PressAsync("Enter");
        Assert.Matches(ChargedPattern(), await page.InnerTextAsync("#subsidy-copayment-outcome"));
    }

    /// <summary>The desk's check of a demo card by the simulated reader, with every kind consented.</summary>
    private static async Task ReadCardAsync(IPage page, string card)
    {
        await page.GotoAsync("/desk");
        await page.WaitForSelectorAsync($"#demo-card option[value='{card}']", new() { State = WaitForSelectorState.Attached });
        // Nothing is shared until the clerk has asked: every kind ticked by hand.
        foreach (var consent in await page.Locator("input[name='consent']").AllAsync())
        {
            await consent.CheckAsync();
        }

        await page.SelectOptionAsync("#demo-card", card);
        await page.ClickAsync("#read-card");
        await page.WaitForSelectorAsync("#check-id");
    }

    private static async Task ProveAsync(IPage page, string card)
    {
        await page.WaitForSelectorAsync($"#demo-card option[value='{card}']", new() { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("#demo-card", card);
        await page.ClickAsync("#read-card");
        await page.WaitForSelectorAsync("#access-log");
    }

    /// <summary>yamada's certificate is published by the demo data at start-up: until it is applied a check shows none, so check again.</summary>
    private static Task CheckUntilCertificateShownAsync(IPage page, Func<Task> check) =>
        Eventually.UntilAsync(
            async () =>
            {
                await check();
                return await page.Locator("#subsidy-certificates").CountAsync() == 1
                    ? await page.InnerTextAsync("#subsidy-certificates")
                    : "";
            },
            table => table.Contains(YamadasCertificate, StringComparison.Ordinal),
            "yamada's certificate at the desk",
            TimeSpan.FromSeconds(90));

    /// <summary>Presses Tab until the element with <paramref name="id"/> has the focus (at most 60 times).</summary>
    private static async Task TabToAsync(IPage page, string id)
    {
        for (var i = 0; i < 60; i++)
        {
            if (await page.EvaluateAsync<string?>("document.activeElement && document.activeElement.id") == id)
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"#{id} was not reached with Tab on {page.Url}");
    }

    [GeneratedRegex("^記録しました。今回の請求額は [0-9,]+ 円です")]
    private static partial Regex ChargedPattern();
}
