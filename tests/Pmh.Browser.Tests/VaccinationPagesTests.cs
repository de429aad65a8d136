using Microsoft.Playwright;

namespace Pmh.Browser.Tests;

/// <summary>The vaccination module's own pages (claims, the questionnaire), reached from the faces' start pages.</summary>
public sealed class VaccinationPagesTests(BrowserHub hub) : IClassFixture<BrowserHub>
{
    [SkippableFact]
    public async Task A_municipal_user_follows_the_claims_link_and_reads_the_month_s_claims()
    {
        Skip.If(hub.WhyNotAvailable is not null, hub.WhyNotAvailable);
        var page = await hub.NewPageAsync();
        await BrowserHub.SignInAsync(page, BrowserHub.DemoMunicipalityKey);

        await page.ClickAsync("#claims-link");
        await page.WaitForURLAsync("**/municipality/claims");

        Assert.Equal("予防接種費用の請求（審査）", await page.InnerTextAsync("#page-title"));
        Assert.Matches(@"^\d{4}-\d{2}$", await page.InputValueAsync("#claims-month"));
        await BrowserHub.AssertAccessibleAsync(page);
        await BrowserHub.ScreenshotAsync(page, "municipality-claims");
        await page.ClickAsync("#back-to-uploads");
        await page.WaitForURLAsync("**/municipality");
    }

    [SkippableFact]
    public async Task A_desk_follows_the_claims_link_to_its_own_claims()
    {
        Skip.If(hub.WhyNotAvailable is not null, hub.WhyNotAvailable);
        var page = await hub.NewPageAsync();
        await BrowserHub.SignInAsync(page, BrowserHub.DemoClinicKey);

        await page.ClickAsync("#claims-link");
        await page.WaitForURLAsync("**/desk/claims");

        Assert.Equal("予防接種費用の請求", await page.InnerTextAsync("#page-title"));
        await BrowserHub.AssertAccessibleAsync(page);
    }

    [SkippableFact]
    public async Task A_citizen_answers_the_MR_questionnaire_and_sends_it_with_the_demo_card()
    {
        Skip.If(hub.WhyNotAvailable is not null, hub.WhyNotAvailable);
        await hub.WaitForDemoCardsAsync();
        var citizen = await hub.NewPageAsync();
        await citizen.GotoAsync("/me");

        await citizen.ClickAsync("#questionnaire-link");
        await citizen.WaitForURLAsync("**/me/questionnaire");
        await citizen.SelectOptionAsync("#questionnaire-vaccine", "MR");
        await citizen.ClickAsync("#questionnaire-open");
        await citizen.WaitForSelectorAsync("#questionnaire-title");
        await BrowserHub.AssertAccessibleAsync(citizen);
        await BrowserHub.ScreenshotAsync(citizen, "me-questionnaire");

        await citizen.FillAsync("#answered-by", "山田 太郎");
        foreach (var question in await citizen.Locator("fieldset.question").AllAsync())
        {
            await question.Locator("input[value='no']").CheckAsync();
        }

        foreach (var temperature in await citizen.Locator("input[type='number'][id^='q-']").AllAsync())
        {
            await temperature.FillAsync("36.5");
        }

        foreach (var text in await citizen.Locator("textarea[required]").AllAsync())
        {
            await text.FillAsync("なし");
        }

        await citizen.WaitForSelectorAsync("#demo-card option[value='yamada']", new() { State = WaitForSelectorState.Attached });
        await citizen.SelectOptionAsync("#demo-card", "yamada");
        await citizen.ClickAsync("#read-card");
        await citizen.WaitForSelectorAsync("#questionnaire-id");

        Assert.Equal("予診票を受け付けました。", await citizen.InnerTextAsync("#accepted-heading"));
        Assert.NotEmpty((await citizen.InnerTextAsync("#questionnaire-id")).Trim());
        await BrowserHub.AssertAccessibleAsync(citizen);
    }
}
