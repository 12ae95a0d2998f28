using System.Net;
using AgenteVendedor.Testing;
using Microsoft.Playwright;

namespace AgenteVendedor.Panel.Tests;

/// <summary>
/// The product as a shop owner meets it: a silo, the Api and the panel as real processes on a fresh database,
/// a fake Graph API for WhatsApp, and one headless Chromium (Debian's, never a downloaded one) for the whole run.
/// </summary>
public sealed class PanelFixture : IAsyncLifetime
{
    public const string PhoneNumberId = "109876543210";
    public const string AccessToken = "EAAG-panel-token";
    public const string AppSecret = "secreto-de-la-app-panel";
    public const string VerifyToken = "verificar-panel-123";

    private PostgresDatabase? _database;
    private IPlaywright? _playwright;

    public ProductStack Stack { get; private set; } = null!;

    public ProductProcess Panel { get; private set; } = null!;

    public FakeMessaging Platforms { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri PanelAddress { get; private set; } = null!;

    public static string ScreenshotDirectory => Path.Combine(Repository.Root, ".data", "test", "screenshots");

    public async Task InitializeAsync()
    {
        Platforms = await FakeMessaging.StartAsync();
        Platforms.RegisterWhatsApp(PhoneNumberId, AccessToken);
        _database = await PostgresDatabase.CreateAsync();
        Stack = await ProductStack.StartAsync(_database, silos: 1, new Dictionary<string, string>
        {
            ["WhatsApp__GraphApiUrl"] = Platforms.BaseUrl.ToString(),
            ["Telegram__ApiUrl"] = Platforms.BaseUrl.ToString(),
            ["Channels__DebounceMilliseconds"] = "200",
        });

        var port = ProductProcess.FreePort();
        PanelAddress = new Uri($"http://127.0.0.1:{port}");
        Panel = ProductProcess.Start("panel", Repository.PanelDll, new Dictionary<string, string>
        {
            ["Api__BaseUrl"] = Stack.BaseAddress.ToString(),
            ["Api__PublicUrl"] = "https://api.mitienda.example",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
        }, "--urls", PanelAddress.ToString());
        await WaitForPanelAsync();

        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],
        });
    }

    /// <summary>A fresh browser context (its own cookies) with a page at the given width.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = PanelAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "es-CO",
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public ApiCalls Api() => new(Stack.CreateClient());

    private Task<SeededEmpresa>? _seeded;

    /// <summary>One empresa with data for the tests that only look (roles, screenshots), set up once per run.</summary>
    public Task<SeededEmpresa> SeededAsync()
    {
        if (_seeded is null || _seeded.IsFaulted || _seeded.IsCanceled)
        {
            _seeded = SeededEmpresa.CreateAsync(this);
        }

        return _seeded;
    }

    private async Task WaitForPanelAsync()
    {
        using var http = new HttpClient { BaseAddress = PanelAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !Panel.HasExited)
        {
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"The panel did not start:\n{Panel.Output}");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Panel is not null)
        {
            await Panel.DisposeAsync();
        }

        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (Platforms is not null)
        {
            await Platforms.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PanelCollection : ICollectionFixture<PanelFixture>
{
    public const string Name = "panel";
}
