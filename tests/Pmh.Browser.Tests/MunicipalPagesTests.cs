using System.Text;
using Microsoft.Playwright;
using Pmh.Testing;

namespace Pmh.Browser.Tests;

public sealed class MunicipalPagesTests(BrowserHub hub) : IClassFixture<BrowserHub>
{
    [SkippableFact]
    public async Task A_municipal_user_uploads_the_demo_CSV_sees_the_refused_row_and_downloads_it()
    {
        Skip.If(hub.WhyNotAvailable is not null, hub.WhyNotAvailable);
        var page = await hub.NewPageAsync();
        await BrowserHub.SignInAsync(page, BrowserHub.DemoMunicipalityKey);
        Assert.EndsWith("/municipality", page.Url, StringComparison.Ordinal);
        Assert.Equal("自治体の登録と記録", await page.InnerTextAsync("#page-title"));
        Assert.Equal(TestData.Chiyoda, await page.InnerTextAsync("#municipality-code"));
        await BrowserHub.AssertAccessibleAsync(page);
        await BrowserHub.ScreenshotAsync(page, "municipality");

        await page.SelectOptionAsync("#upload-kind", "subsidy-certificates");
        await page.FillAsync("#upload-batch-id", "browser-csv-1");
        await page.SetInputFilesAsync("#upload-file", BrowserHub.RepositoryFile("infra/demo/subsidy-certificates.csv"));
        // The script sends the file itself (not a multipart form), then polls the batch until it is final.
        var upload = page.WaitForRequestAsync(r => r.Url.Contains("/municipality/upload?kind=subsidy-certificates", StringComparison.Ordinal));
        await page.ClickAsync("#upload-submit");
        Assert.Equal("text/csv", (await upload).Headers["content-type"]);
        await page.WaitForURLAsync("**/municipality/batches/browser-csv-1");

        Assert.Equal("completed", await page.GetAttributeAsync("#batch-status", "data-status"));
        Assert.Equal("完了", await page.InnerTextAsync("#batch-status"));
        Assert.Equal("2", await page.InnerTextAsync("#batch-rows"));
        Assert.Equal("1", await page.InnerTextAsync("#batch-accepted"));
        Assert.Equal("1", await page.InnerTextAsync("#batch-rejected"));
        var refused = await page.Locator("#rejected-rows tbody tr td").AllInnerTextsAsync();
        Assert.Equal(["1", "myNumber", "check digit does not match"], refused);
        await BrowserHub.AssertAccessibleAsync(page);
        await BrowserHub.ScreenshotAsync(page, "municipality-batch");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#rejections-download"));
        Assert.Equal("browser-csv-1-rejections.csv", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.Equal("row,field,reason\n1,myNumber,check digit does not match\n", Encoding.UTF8.GetString(bytes[3..]).Replace("\r\n", "\n", StringComparison.Ordinal));

        // The history lists it, newest first.
        await page.ClickAsync("#back-to-uploads");
        Assert.Equal("browser-csv-1", await page.InnerTextAsync("#batch-history tbody tr:first-child td:first-child"));
    }

    [SkippableFact]
    public async Task Without_JavaScript_the_upload_form_posts_the_file_and_shows_the_batch()
    {
        Skip.If(hub.WhyNotAvailable is not null, hub.WhyNotAvailable);
        var page = await hub.NewPageAsync(javaScript: false);
        await BrowserHub.SignInAsync(page, BrowserHub.DemoMunicipalityKey);
        await page.SelectOptionAsync("#upload-kind", "subsidy-certificates");
        await page.FillAsync("#upload-batch-id", "browser-form-1");
        await page.SetInputFilesAsync("#upload-file", BrowserHub.RepositoryFile("infra/demo/subsidy-certificates.csv"));
        await page.ClickAsync("#upload-submit");
        await page.WaitForURLAsync("**/municipality/batches/browser-form-1");
        Assert.Equal("2", await page.InnerTextAsync("#batch-rows"));
        Assert.Equal("1", await page.InnerTextAsync("#batch-rejected"));
    }

    [SkippableFact]
    public async Task A_file_with_no_row_that_can_be_stored_is_refused_in_words_with_each_field()
    {
        Skip.If(hub.WhyNotAvailable is not null, hub.WhyNotAvailable);
        var page = await hub.NewPageAsync();
        await BrowserHub.SignInAsync(page, BrowserHub.DemoMunicipalityKey);
        var file = new FilePayload
        {
            Name = "empty.json",
            MimeType = "application/json",
            Buffer = Encoding.UTF8.GetBytes("""{"batchId":"browser-empty","certificates":[]}"""),
        };
        await page.SetInputFilesAsync("#upload-file", file);
        await page.ClickAsync("#upload-submit");
        var status = page.Locator("#upload-status .error");
        await Assertions.Expect(status).ToHaveTextAsync("登録できる行がひとつもありませんでした。");
        await Assertions.Expect(page.Locator("#upload-reasons li")).ToHaveTextAsync("certificates: must contain at least one row");
    }

    [SkippableFact]
    public async Task The_feeds_of_every_kind_are_listed_and_an_empty_feed_says_so()
    {
        Skip.If(hub.WhyNotAvailable is not null, hub.WhyNotAvailable);
        var page = await hub.NewPageAsync();
        await BrowserHub.SignInAsync(page, BrowserHub.DemoMunicipalityKey);
        await page.ClickAsync("#feed-vaccination-events");
        Assert.Equal("接種の記録（医療機関から）", await page.InnerTextAsync("#page-title"));
        Assert.Equal("この位置より後の記録はありません。", await page.InnerTextAsync("#feed-empty"));
        await BrowserHub.AssertAccessibleAsync(page);
        await page.GotoAsync("/municipality");
        await page.ClickAsync("#feed-maternal-child-events");
        Assert.Equal("健診の記録（妊婦健診・乳幼児健診）", await page.InnerTextAsync("#page-title"));
    }
}
