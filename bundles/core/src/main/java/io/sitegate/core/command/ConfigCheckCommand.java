package io.sitegate.core.command;

import io.sitegate.core.config.ConfigChange;
import io.sitegate.core.config.ConfigProblem;
import io.sitegate.core.config.ConfigSection;
import io.sitegate.core.config.ConfigurableSection;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code sitegate:config-check <section> <file>}: what a proposed configuration file would change, and
 * every problem it has. Nothing is applied.
 */
@Command(scope = "sitegate", name = "config-check",
        description = "Shows what a proposed configuration file would change and every problem it has; applies nothing.",
        detailedDescription = "The file has the format of the section's etc/*.cfg file. For a section with one configuration "
                + "(cellular, dns) it replaces that configuration; for a factory section (modem) the file name says which "
                + "one: io.sitegate.modem~wan0.cfg (or io.sitegate.modem-wan0.cfg) replaces or adds modem wan0 and leaves the "
                + "others. Fails when the file has a problem, so scripts can check a file before they copy it to etc/.")
@Service
public class ConfigCheckCommand implements Action {

    @Reference
    List<ConfigurableSection> sections;

    @Argument(index = 0, name = "section", required = true, description = "cellular, dns, modem, ...")
    String section;

    @Argument(index = 1, name = "file", required = true, description = "a .cfg file with the section's properties")
    String file;

    @Override
    public Object execute() throws IOException {
        ConfigurableSection target = sections.stream().filter(s -> s.name().equals(section)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no section '" + section + "' (sections: "
                        + String.join(", ", sections.stream().map(ConfigurableSection::name).sorted().toList()) + ")"));
        ConfigSection proposed = read(target, Path.of(file));
        PrintStream out = System.out;
        List<ConfigChange> changes = target.diff(proposed);
        List<ConfigProblem> problems = target.validate(proposed);
        out.println("Section " + section + ", proposed by " + file + ":");
        if (changes.isEmpty()) {
            out.println("  no change from what is in force");
        } else {
            changes.forEach(c -> out.println("  ~ " + c.text()));
        }
        if (problems.isEmpty()) {
            out.println("Valid: applying it would be accepted (nothing was applied).");
            return null;
        }
        problems.forEach(p -> out.println("  ! " + p.message()));
        throw new IllegalArgumentException(problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + " in " + file + "; nothing was applied");
    }

    static ConfigSection read(ConfigurableSection target, Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no such file: " + path);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, Object> values = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        if (!target.factory()) {
            return ConfigSection.of(target.name(), target.pid(), values);
        }
        String name = path.getFileName().toString().replaceFirst("\\.(cfg|config|properties)$", "");
        String instance = null;
        for (String sep : List.of("~", "-")) {
            if (name.startsWith(target.pid() + sep)) {
                instance = name.substring(target.pid().length() + 1);
            }
        }
        if (instance == null) {
            throw new IllegalArgumentException("for section " + target.name() + " name the file " + target.pid()
                    + "~<name>.cfg, so that it says which configuration it is");
        }
        Map<String, Map<String, String>> all = new TreeMap<>(target.snapshot().configurations());
        all.put(target.pid() + "~" + instance, ConfigSection.normalise(values));
        return new ConfigSection(target.name(), all);
    }
}
