using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Pmh.Testing;

namespace Pmh.Pages.Tests;

/// <summary>The municipality and operator pages over HTTP, as a browser without script sees them (the browser tests drive them in Chromium).</summary>
public sealed class MunicipalityAndOperatorPageTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    private async Task PublishAsync(string key, string code, string batchId, int seed)
    {
        var client = _hub.ClientFor(key);
        var response = await client.PostAsJsonAsync(
            $"/api/v1/municipalities/{code}/subsidy-certificates",
            TestData.Batch(batchId, TestData.CertificateRow(TestData.MyNumber(seed), $"H-{seed}")));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task The_batch_history_lists_the_municipality_s_own_batches_newest_first()
    {
        await PublishAsync(PmhHubFactory.ChiyodaKey, TestData.Chiyoda, "older", 1);
        await PublishAsync(PmhHubFactory.ChiyodaKey, TestData.Chiyoda, "newer", 2);
        await PublishAsync(PmhHubFactory.HachiojiKey, TestData.Hachioji, "hachiojis", 3);
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.ChiyodaKey);

        var (response, html) = await browser.GetAsync("/municipality");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var newer = html.IndexOf(">newer</a>", StringComparison.Ordinal);
        var older = html.IndexOf(">older</a>", StringComparison.Ordinal);
        Assert.True(newer > 0 && older > newer, "newer before older");
        Assert.DoesNotContain("hachiojis", html, StringComparison.Ordinal);
        foreach (var kind in new[] { "subsidy-certificates", "vaccination-records", "pregnancies", "children" })
        {
            Assert.Contains($"<option value=\"{kind}\">", html, StringComparison.Ordinal);
        }

        Assert.Contains("id=\"feed-vaccination-events\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"feed-maternal-child-events\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_municipality_s_batch_and_its_rejections_are_not_found_from_the_pages()
    {
        await PublishAsync(PmhHubFactory.ChiyodaKey, TestData.Chiyoda, "chiyodas", 4);
        var hachioji = new PageSession(_hub);
        await hachioji.SignInAsync(PmhHubFactory.HachiojiKey);

        var (page, html) = await hachioji.GetAsync("/municipality/batches/chiyodas");
        var (csv, _) = await hachioji.GetAsync("/municipality/batches/chiyodas?handler=Rejections");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("このバッチは見つかりません。", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, csv.StatusCode);
    }

    [Fact]
    public async Task The_upload_script_s_post_answers_as_the_API_does_and_one_without_the_anti_forgery_token_is_refused()
    {
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.ChiyodaKey);
        await browser.GetAsync("/municipality");
        var csv = await File.ReadAllBytesAsync(RepositoryFile("infra/demo/subsidy-certificates.csv"));

        HttpRequestMessage Upload(string batchId, bool withToken)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/municipality/upload?kind=subsidy-certificates&batchId={batchId}")
            {
                Content = new ByteArrayContent(csv) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } },
            };
            if (withToken)
            {
                request.Headers.Add("RequestVerificationToken", browser.Token);
            }

            return request;
        }

        using var refused = await browser.Client.SendAsync(Upload("no-token", withToken: false));
        using var accepted = await browser.Client.SendAsync(Upload("with-token", withToken: true));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _hub.ClientFor(PmhHubFactory.ChiyodaKey).GetAsync("/api/v1/batches/no-token")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var batch = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!;
        Assert.Equal("with-token", (string?)batch["batchId"]);
        Assert.Equal(2, (int)batch["rowCount"]!);
        Assert.Equal("myNumber", (string?)batch["rejected"]![0]!["field"]);
    }

    [Fact]
    public async Task A_file_posted_by_the_form_without_script_lands_on_its_batch_page()
    {
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.ChiyodaKey);
        await browser.GetAsync("/municipality");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(browser.Token!), "__pmh_token" },
            { new StringContent("subsidy-certificates"), "kind" },
            { new StringContent("by-form"), "batchId" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(RepositoryFile("infra/demo/subsidy-certificates.csv"))), "file", "certificates.csv" },
        };

        using var response = await browser.Client.PostAsync("/municipality/upload", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/municipality/batches/by-form", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_key_issued_on_the_operator_page_is_in_that_response_only_and_opens_the_API()
    {
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.OperatorKey);
        await browser.GetAsync("/operator");

        var (issued, html) = await browser.PostAsync("/operator?handler=IssueKey", [new("participantId", "pharmacy")]);
        var key = PageSession.TextOf(html, "issued-key")!;
        var (_, later) = await browser.GetAsync("/operator");

        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Contains("no-store", issued.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("pmh_", key, StringComparison.Ordinal);
        Assert.DoesNotContain(key, later, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"issued-key\"", later, StringComparison.Ordinal);
        using var challenge = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reception/challenges");
        challenge.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await _hub.CreateClient().SendAsync(challenge)).StatusCode);
    }

    [Fact]
    public async Task A_participant_with_a_code_of_the_wrong_shape_is_refused_naming_the_field_and_not_stored()
    {
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.OperatorKey);
        await browser.GetAsync("/operator");

        var (response, html) = await browser.PostAsync("/operator?handler=Participant",
            [new("NewParticipant.Id", "new-town"), new("NewParticipant.Role", "Municipality"), new("NewParticipant.Code", "123")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("保存できませんでした", html, StringComparison.Ordinal);
        Assert.Contains("<li>code: ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"participant-new-town\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_operator_page_is_not_for_a_municipality()
    {
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.ChiyodaKey);

        var (response, _) = await browser.GetAsync("/operator");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/forbidden", response.Headers.Location?.AbsolutePath ?? response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pmh.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new FileNotFoundException(relative);
    }
}
