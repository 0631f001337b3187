package io.sitegate.filter.command;

import io.sitegate.filter.internal.FilterComponent;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code sitegate:access-close <id>} (admin). */
@Command(scope = "sitegate", name = "access-close", description = "Closes an access window now.")
@Service
public class AccessCloseCommand implements Action {
    @Reference(optional = true)
    FilterComponent filter;

    @Argument(index = 0, name = "id", description = "The window's id (access-list)", required = true)
    String id;

    @Override
    public Object execute() throws Exception {
        System.out.println("Closed " + Filters.require(filter).closeWindow(id, Operators.who()));
        return null;
    }
}
