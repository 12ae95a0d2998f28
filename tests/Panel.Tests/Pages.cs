using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgenteVendedor.Panel.Tests;

/// <summary>How the tests move around the panel: by the names a user reads.</summary>
public static class Pages
{
    public static async Task SignInAsync(IPage page, string email, string password = ApiCalls.Password)
    {
        await page.GotoAsync("/ingresar");
        await page.GetByLabel("Correo electrónico").FillAsync(email);
        await page.GetByLabel("Contraseña").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await WaitForAsync(page, "Inicio");
    }

    /// <summary>Follows the navigation link with the page's name and waits until the page is live.</summary>
    public static async Task OpenAsync(IPage page, string name)
    {
        if (!await page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).IsVisibleAsync())
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Abrir o cerrar el menú" }).ClickAsync();
        }

        await page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
        await WaitForAsync(page, name);
    }

    /// <summary>
    /// On Canales, connects a WhatsApp number (the fake Graph API must know it with that token) with the fixture's app
    /// secret and verify token, plus any optional field by its label, and waits until the page says it is connected.
    /// </summary>
    public static async Task ConnectWhatsAppAsync(IPage page, string phoneNumberId, string accessToken, params (string Label, string Value)[] optional)
    {
        await page.GetByLabel("Identificador del número (phone_number_id)").FillAsync(phoneNumberId);
        await page.GetByLabel("Token de acceso").FillAsync(accessToken);
        await page.GetByLabel("Clave secreta de la app").FillAsync(PanelFixture.AppSecret);
        await page.GetByLabel("Token de verificación (tú lo eliges, mínimo 8 caracteres)").FillAsync(PanelFixture.VerifyToken);
        foreach (var (label, value) in optional)
        {
            await page.GetByLabel(label).FillAsync(value);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Conectar WhatsApp" }).ClickAsync();
        await Expect(page.GetByText($"Conectado: número {phoneNumberId}")).ToBeVisibleAsync();
    }

    /// <summary>Runs a browser scenario; when it fails, a screenshot of where it stood is kept beside the others.</summary>
    public static async Task OnFailureAsync(IPage page, string name, Func<Task> scenario)
    {
        try
        {
            await scenario();
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(PanelFixture.ScreenshotDirectory, $"fallo-{name}.png"), FullPage = true });
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>The page's main heading is its name, and the circuit is connected (handlers work).</summary>
    public static async Task WaitForAsync(IPage page, string heading)
    {
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#panel-interactivo")).ToBeAttachedAsync();
    }
}
