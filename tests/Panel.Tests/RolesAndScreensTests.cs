using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgenteVendedor.Panel.Tests;

[Collection(PanelCollection.Name)]
public sealed class RolesAndScreensTests(PanelFixture fixture)
{
    private static readonly (string Path, string Heading, string File)[] SignedInPages =
    [
        ("/", "Inicio", "inicio"),
        ("/productos", "Productos", "productos"),
        ("/ventas", "Ventas", "ventas"),
        ("/clientes", "Clientes", "clientes"),
        ("/conversaciones", "Conversaciones", "conversaciones"),
        ("/canales", "Canales", "canales"),
        ("/usuarios", "Usuarios", "usuarios"),
        ("/auditoria", "Auditoría", "auditoria"),
        ("/empresa", "Empresa", "empresa"),
    ];

    [Fact]
    public async Task An_observador_sees_the_data_but_no_editing_controls()
    {
        var seeded = await fixture.SeededAsync();
        var page = await fixture.NewPageAsync();
        await Pages.OnFailureAsync(page, "observador", async () =>
        {
            await Pages.SignInAsync(page, seeded.ObserverEmail);
            foreach (var adminOnly in new[] { "Canales", "Usuarios", "Auditoría" })
            {
                await Expect(page.GetByRole(AriaRole.Link, new() { Name = adminOnly, Exact = true })).ToHaveCountAsync(0);
            }

            await Pages.OpenAsync(page, "Productos");
            await Expect(page.Locator("tr").Filter(new() { HasText = "Martillo de uña 16 oz" })).ToBeVisibleAsync();
            foreach (var control in new[] { "Nuevo producto", "Importar CSV", "Editar Martillo de uña 16 oz", "Desactivar Martillo de uña 16 oz" })
            {
                await Expect(page.GetByRole(AriaRole.Button, new() { Name = control })).ToHaveCountAsync(0);
            }

            await Pages.OpenAsync(page, "Ventas");
            await page.GetByRole(AriaRole.Button, new() { Name = "Detalle" }).First.ClickAsync();
            await Expect(page.GetByLabel("Detalle de la venta")).ToContainTextAsync("Martillo de uña 16 oz");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Anular" })).ToHaveCountAsync(0);

            await Pages.OpenAsync(page, "Clientes");
            await page.Locator("tr").Filter(new() { HasText = "Pedro Pérez" }).GetByRole(AriaRole.Button, new() { Name = "Ver" }).ClickAsync();
            await Expect(page.GetByLabel("Ficha del cliente")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Guardar" })).ToHaveCountAsync(0);

            await Pages.OpenAsync(page, "Conversaciones");
            await page.Locator(".inbox-row").First.ClickAsync();
            await Expect(page.GetByLabel("Transcripción")).ToContainTextAsync("quiero 2 martillos");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Tomar" })).ToHaveCountAsync(0);

            await Pages.OpenAsync(page, "Empresa");
            await Expect(page.GetByLabel("Nombre", new() { Exact = true })).ToHaveValueAsync("Ferretería Observada");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Guardar" })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enviar" })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Agregar pregunta" })).ToHaveCountAsync(0);

            // The Api refuses anyway: an observador's own session cannot reach an admin page.
            await page.GotoAsync("/usuarios");
            await Pages.WaitForAsync(page, "Inicio");
        });
    }

    [Fact]
    public async Task Every_page_fits_a_390_px_phone_and_is_photographed_at_both_widths()
    {
        var seeded = await fixture.SeededAsync();
        var anonymous = await fixture.NewPageAsync();
        await Pages.OnFailureAsync(anonymous, "anonimo", async () =>
        {
            foreach (var width in Widths)
            {
                await anonymous.SetViewportSizeAsync(width, HeightFor(width));
                foreach (var (path, heading, file) in new[] { ("/ingresar", "Ingresar", "ingresar"), ("/crear-empresa", "Crear empresa", "crear-empresa") })
                {
                    await anonymous.GotoAsync(path);
                    await Expect(anonymous.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
                    await CheckAsync(anonymous, file, width);
                }
            }
        });

        var page = await fixture.NewPageAsync();
        await Pages.OnFailureAsync(page, "paginas", async () =>
        {
            await Pages.SignInAsync(page, seeded.AdminEmail);
            foreach (var width in Widths)
            {
                await page.SetViewportSizeAsync(width, HeightFor(width));
                foreach (var (path, heading, file) in SignedInPages)
                {
                    await page.GotoAsync(path);
                    await Pages.WaitForAsync(page, heading);
                    await Expect(page.Locator(".mud-progress-linear")).ToHaveCountAsync(0);
                    await CheckAsync(page, file, width);
                }
            }
        });
    }

    private static readonly int[] Widths = [1280, 390];

    private static int HeightFor(int width) => width == 390 ? 844 : 900;

    private static async Task CheckAsync(IPage page, string file, int width)
    {
        await page.ScreenshotAsync(new() { Path = Path.Combine(PanelFixture.ScreenshotDirectory, $"{file}-{width}.png"), FullPage = true });
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{file} at {width} px scrolls sideways by {overflow} px");
    }
}
