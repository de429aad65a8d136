using System.Net;
using System.Net.Http.Headers;
using Pmh.Testing;

namespace Pmh.Browser.Tests;

public sealed class OperatorPagesTests(BrowserHub hub) : IClassFixture<BrowserHub>
{
    [SkippableFact]
    public async Task An_operator_rotates_a_key_sees_the_new_key_once_and_the_old_key_is_refused()
    {
        Skip.If(hub.WhyNotAvailable is not null, hub.WhyNotAvailable);
        using var api = new HttpClient { BaseAddress = hub.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, await ChallengeStatusAsync(api, PmhHubFactory.ClinicKey));

        var page = await hub.NewPageAsync();
        await BrowserHub.SignInAsync(page, BrowserHub.DemoOperatorKey);
        Assert.EndsWith("/operator", page.Url, StringComparison.Ordinal);
        Assert.Equal("ハブの運用", await page.InnerTextAsync("#page-title"));
        await BrowserHub.AssertAccessibleAsync(page);

        var rotate = page.Locator("#participant-clinic button[id^='rotate-']");
        Assert.Equal(1, await rotate.CountAsync());
        var oldKeyId = (await rotate.GetAttributeAsync("id"))!["rotate-".Length..];
        await rotate.ClickAsync();

        var newKey = await page.InnerTextAsync("#issued-key");
        Assert.StartsWith("pmh_", newKey, StringComparison.Ordinal);
        Assert.Equal("clinic", await page.InnerTextAsync("#issued-key-participant"));
        Assert.Contains("二度と表示できません", await page.InnerTextAsync("#issued-key-notice"), StringComparison.Ordinal);
        Assert.Equal("古いキーは失効しました。以後そのキーでの要求は拒否されます。", await page.InnerTextAsync("#operator-notice p"));
        Assert.Equal("false", await page.GetAttributeAsync($"#key-{oldKeyId}", "data-active"));
        await BrowserHub.AssertAccessibleAsync(page);
        await BrowserHub.ScreenshotAsync(page, "operator");

        Assert.Equal(HttpStatusCode.Unauthorized, await ChallengeStatusAsync(api, PmhHubFactory.ClinicKey));
        Assert.Equal(HttpStatusCode.OK, await ChallengeStatusAsync(api, newKey));

        // Never again: the page read anew shows no key, only key ids.
        await page.GotoAsync("/operator");
        Assert.Equal(0, await page.Locator("#issued-key").CountAsync());
        Assert.DoesNotContain(newKey, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_operator_verifies_the_audit_chain_and_reads_each_dependency_s_health_in_words()
    {
        Skip.If(hub.WhyNotAvailable is not null, hub.WhyNotAvailable);
        var page = await hub.NewPageAsync();
        await BrowserHub.SignInAsync(page, BrowserHub.DemoOperatorKey);
        Assert.Equal("全体: 受付可能", await page.InnerTextAsync("#health-overall"));
        var states = await page.Locator("#health tbody td[data-status]").AllInnerTextsAsync();
        Assert.NotEmpty(states);
        Assert.All(states, s => Assert.Equal("正常", s));
        Assert.Equal("デッドレターはありません。", await page.InnerTextAsync("#dead-letters-empty"));

        await page.ClickAsync("#verify-audit");
        Assert.Matches("^監査ログは改ざんされていません（[0-9,]+ 件の記録のつながりをすべて確認しました）。$", await page.InnerTextAsync("#audit-result"));
        await BrowserHub.AssertAccessibleAsync(page);
    }

    [SkippableFact]
    public async Task A_municipality_signed_in_is_refused_the_operator_page_in_words()
    {
        Skip.If(hub.WhyNotAvailable is not null, hub.WhyNotAvailable);
        var page = await hub.NewPageAsync();
        await BrowserHub.SignInAsync(page, PmhHubFactory.HachiojiKey);
        var response = await page.GotoAsync("/operator");
        Assert.Equal(403, response!.Status);
        Assert.Equal("このページは使えません", await page.InnerTextAsync("#page-title"));
    }

    private static async Task<HttpStatusCode> ChallengeStatusAsync(HttpClient api, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reception/challenges");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await api.SendAsync(request);
        return response.StatusCode;
    }
}
