using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Pmh.Modules.Http;

namespace Pmh.Pages.Shell;

/// <summary>
/// The simulated card reader's cards: in Development only, <c>GET /demo/cards</c> returns each demo card's
/// certificate (DER) and PKCS#8 private key (base64), so the browser signs a challenge with WebCrypto as a card would.
/// Anywhere else it is 404: no key ever leaves a real card.
/// </summary>
public static class DemoCards
{
    /// <summary>The folder of the demo cards' PEM files (<c>{name}.crt.pem</c>, <c>{name}.key.pem</c>), set by the demo data.</summary>
    public const string FolderSetting = "Pmh:Pages:DemoCards";

    public static IEndpointRouteBuilder MapDemoCards(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/demo/cards", Serve).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static Results<Ok<IReadOnlyList<DemoCard>>, ProblemHttpResult> Serve(IHostEnvironment environment, IConfiguration configuration)
    {
        var folder = configuration[FolderSetting];
        if (!environment.IsDevelopment() || string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            return ApiProblems.Status(StatusCodes.Status404NotFound, "No demo cards", "Demo cards are served only in Development, with the demo data.");
        }

        var cards = new List<DemoCard>();
        foreach (var certificateFile in Directory.GetFiles(folder, "*.crt.pem").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(certificateFile)[..^".crt.pem".Length];
            var keyFile = Path.Combine(folder, name + ".key.pem");
            if (!File.Exists(keyFile))
            {
                continue;
            }

            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile));
            using var key = RSA.Create();
            key.ImportFromPem(File.ReadAllText(keyFile));
            cards.Add(new DemoCard(name, Convert.ToBase64String(certificate.RawData), Convert.ToBase64String(key.ExportPkcs8PrivateKey())));
        }

        return TypedResults.Ok<IReadOnlyList<DemoCard>>(cards);
    }
}

/// <summary>A demo card: its name (yamada, sato, …), its certificate (DER, base64) and its private key (PKCS#8, base64).</summary>
public sealed record DemoCard(string Name, string Certificate, string PrivateKey);
