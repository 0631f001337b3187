package io.sitegate.filter.command;

import io.sitegate.filter.internal.FilterComponent;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:access-list}. */
@Command(scope = "sitegate", name = "access-list", description = "Lists the open access windows with the time they have left.")
@Service
public class AccessListCommand implements Action {
    @Reference(optional = true)
    FilterComponent filter;

    @Override
    public Object execute() throws Exception {
        var windows = Filters.require(filter).listWindows();
        if (windows.isEmpty()) {
            System.out.println("No access window is open.");
        }
        windows.forEach(System.out::println);
        return null;
    }
}
